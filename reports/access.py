"""Who sees which figures (issue 7, point 7).

- County staff (role ``county``) see every municipality of their network.
- A municipality's contact person (its member of LUSAM) sees the quota table of every municipality of
  their network and all other figures for their own municipality only.
- Other officers, unit supervisors and administrators see no reports: officers work their cases (the
  send page shows them the quota left), supervisors give consents, administrators maintain registers.
  None has a follow-up task that needs the figures, so the least-privilege rule of the plan's security
  routines leaves them out (the navigation agrees).

Nobody sees a case, a request or free text here: the selectors return counts, durations and the
fixed-choice fields of LUSAM records only.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Subquery

from accounts.models import Role
from municipalities.models import Municipality


@dataclass(frozen=True)
class ReportScope:
    network_id: int
    # Every municipality of the network: the quota table shows them all.
    network_municipalities: tuple[Municipality, ...]
    # The municipalities whose own figures the user may see.
    figure_ids: tuple[int, ...]
    is_county: bool

    @property
    def figure_municipalities(self) -> list[Municipality]:
        return [m for m in self.network_municipalities if m.pk in self.figure_ids]


def scope_for_user(user) -> ReportScope:
    """Return what ``user`` may see in the reports; raise PermissionDenied for everyone else."""
    if user.role == Role.COUNTY and user.network_id:
        network_id = user.network_id
        own_id = None
        municipalities = tuple(Municipality.objects.filter(network_id=network_id).order_by("name"))
    elif user.role == Role.OFFICER and user.municipality_id and user.is_contact_person:
        own_id = user.municipality_id
        # The network of the user's municipality and its municipalities in one query.
        own_network = Municipality.objects.filter(pk=own_id).values("network_id")
        municipalities = tuple(Municipality.objects.filter(network_id=Subquery(own_network)).order_by("name"))
        network_id = next(m.network_id for m in municipalities if m.pk == own_id)
    else:
        raise PermissionDenied
    figure_ids = tuple(m.pk for m in municipalities) if own_id is None else (own_id,)
    return ReportScope(
        network_id=network_id,
        network_municipalities=municipalities,
        figure_ids=figure_ids,
        is_county=own_id is None,
    )
