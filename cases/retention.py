"""Retention (gallring): erase the free text of cases closed long ago.

``settings.CASE_RETENTION_MONTHS`` after a case is closed, every free-text field of it and the
request forms are erased. What the LUSAM report and the statistics need stays: the LusamRecord,
every date, every choice and the timeline. The erasure itself is a timeline event.
"""

import calendar
import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from cases.events import EventKind, record_event
from cases.models import (
    ERASED_MOTIVATION,
    Case,
    CaseStatus,
    Collaboration,
    CostItem,
    Decision,
    DecisionOutcome,
    Meeting,
    MovePlan,
    Preparation,
    Request,
    RequestFormDraft,
    RequestFormSection,
)


def months_before(moment: datetime.datetime, months: int) -> datetime.datetime:
    """Return ``moment`` minus ``months`` calendar months, in local time (31 March − 1 month = 28/29 Feb)."""
    local = timezone.localtime(moment)
    year, month_index = divmod(local.year * 12 + local.month - 1 - months, 12)
    month = month_index + 1
    day = min(local.day, calendar.monthrange(year, month)[1])
    return local.replace(year=year, month=month, day=day)


def expired_cases(*, now: datetime.datetime) -> QuerySet[Case]:
    """Return the closed cases whose free text is due for erasure at ``now``."""
    cutoff = months_before(now, settings.CASE_RETENTION_MONTHS)
    return Case.objects.filter(status=CaseStatus.CLOSED, closed_at__lt=cutoff, erased_at__isnull=True)


def case_erase_text(*, case: Case, now: datetime.datetime) -> None:
    """Erase every free-text field of ``case``; keep dates, choices, the LUSAM record and the timeline.

    Call inside a transaction with ``case`` locked.
    """
    Preparation.objects.filter(case=case).update(notes="", risk_method_other="")
    RequestFormDraft.objects.filter(case=case).update(**{section.value: "" for section in RequestFormSection})
    Request.objects.filter(case=case).update(form={}, close_reason="")
    decisions = Decision.objects.filter(request__case=case)
    decisions.filter(outcome=DecisionOutcome.DECLINE).update(motivation=ERASED_MOTIVATION, resources_description="")
    decisions.exclude(outcome=DecisionOutcome.DECLINE).update(motivation="", resources_description="")
    Meeting.objects.filter(case=case).update(notes="")
    Collaboration.objects.filter(case=case).update(authority_agreements="")
    MovePlan.objects.filter(case=case).update(
        who_packs="", what_goes="", access_before_move="", economic_agreement_note=""
    )
    CostItem.objects.filter(move_plan__case=case).update(description="")
    case.closing_note = ""
    case.erased_at = now
    case.save(update_fields=["closing_note", "erased_at"])
    record_event(case=case, kind=EventKind.TEXT_ERASED, data={"retention_months": settings.CASE_RETENTION_MONTHS})


def erase_expired_cases(*, now: datetime.datetime | None = None) -> int:
    """Erase the free text of every case closed more than the retention time ago; return how many.

    One transaction per case, so that one failure does not hold back the others; a case erased or
    reopened meanwhile is skipped.
    """
    now = now or timezone.now()
    erased = 0
    for case_id in expired_cases(now=now).values_list("pk", flat=True):
        with transaction.atomic():
            case = expired_cases(now=now).select_for_update().filter(pk=case_id).first()
            if case is None:
                continue
            case_erase_text(case=case, now=now)
            erased += 1
    return erased
