"""Reads of the municipalities app: the member directory."""

from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet

from accounts.models import Role, User
from municipalities.models import LusamMeeting, Municipality, Network


@dataclass(frozen=True)
class DirectoryRow:
    municipality: Municipality
    quota: int
    received: int
    handed_over: int
    contact_persons: list[User]


@dataclass(frozen=True)
class Directory:
    network: Network
    year: int
    rows: list[DirectoryRow]
    county_staff: list[User]
    meetings: list[LusamMeeting]


def networks_for_user(*, user: User) -> QuerySet[Network]:
    """Return the networks ``user`` belongs to: their municipality's, their county board's, or all for admins."""
    if user.municipality_id:
        return Network.objects.filter(municipalities=user.municipality_id)
    if user.network_id:
        return Network.objects.filter(pk=user.network_id)
    if user.role == Role.ADMIN or user.is_superuser:
        return Network.objects.all()
    return Network.objects.none()


def directory_for_network(*, network: Network, year: int, today) -> Directory:
    """Return the participating municipalities of ``network`` with quota, quota use and contact persons."""
    from cases.quota import quota_use

    active_contacts = User.objects.filter(is_contact_person=True, is_active=True).order_by("last_name", "first_name")
    municipalities = list(
        network.municipalities.filter(participates=True)
        .order_by("name")
        .prefetch_related(Prefetch("users", queryset=active_contacts, to_attr="contacts"))
    )
    use = quota_use(year=year, municipality_ids=[m.pk for m in municipalities])
    quotas = Municipality.quotas_for(municipalities, year)
    rows = []
    for municipality in municipalities:
        used = use.get(municipality.pk)
        rows.append(
            DirectoryRow(
                municipality=municipality,
                quota=quotas[municipality.pk],
                received=used.received if used else 0,
                handed_over=used.handed_over if used else 0,
                contact_persons=municipality.contacts,
            )
        )
    county_staff = list(
        User.objects.filter(network=network, role=Role.COUNTY, is_active=True).order_by("last_name", "first_name")
    )
    meetings = list(network.meetings.filter(date__gte=today)[:6])
    return Directory(network=network, year=year, rows=rows, county_staff=county_staff, meetings=meetings)
