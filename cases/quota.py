"""How much of its quota each municipality has used in a period (rule 8), counted in SQL.

A case counts in the year its request was accepted: once as received by the receiving
municipality and once as handed over by the sending one.
"""

from dataclasses import dataclass

from django.db.models import Count

from cases.models import Request, RequestStatus


@dataclass(frozen=True)
class QuotaUse:
    received: int = 0
    handed_over: int = 0


def quota_use(*, year: int, municipality_ids: list[int] | None = None) -> dict[int, QuotaUse]:
    """Return ``{municipality id: QuotaUse}`` for ``year`` (missing ids have used nothing)."""
    accepted = Request.objects.filter(status=RequestStatus.ACCEPTED, decision__decided_at__year=year)
    received = accepted.values("recipient").annotate(n=Count("id"))
    handed = accepted.values("sender").annotate(n=Count("case", distinct=True))
    if municipality_ids is not None:
        received = received.filter(recipient__in=municipality_ids)
        handed = handed.filter(sender__in=municipality_ids)
    result: dict[int, dict[str, int]] = {}
    for row in received:
        result.setdefault(row["recipient"], {})["received"] = row["n"]
    for row in handed:
        result.setdefault(row["sender"], {})["handed_over"] = row["n"]
    return {pk: QuotaUse(**counts) for pk, counts in result.items()}
