"""The navigation of the base layout, per role.

Each app adds its entries here, so that one place decides what a role sees.
"""

from dataclasses import dataclass

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class NavEntry:
    label: str
    url_name: str
    roles: frozenset[str]
    # Officers see the entry only if they are their municipality's contact person (the reports).
    officers_contact_persons_only: bool = False


# Role values are accounts.models.Role; strings here keep this module import-light.
OFFICER, SUPERVISOR, COUNTY, ADMIN = "officer", "supervisor", "county", "admin"

ENTRIES = [
    NavEntry(_("Start"), "home", frozenset({OFFICER, SUPERVISOR, COUNTY, ADMIN})),
    NavEntry(_("Mina ärenden"), "cases:list", frozenset({OFFICER})),
    NavEntry(_("Inkorg"), "cases:inbox", frozenset({OFFICER, SUPERVISOR})),
    NavEntry(_("Samtycken"), "cases:consents", frozenset({SUPERVISOR})),
    NavEntry(_("Kommuner"), "municipalities:directory", frozenset({OFFICER, SUPERVISOR, COUNTY, ADMIN})),
    NavEntry(_("Rapporter"), "reports:index", frozenset({COUNTY, OFFICER}), officers_contact_persons_only=True),
    NavEntry(_("Notiser"), "notifications:list", frozenset({OFFICER, SUPERVISOR, COUNTY, ADMIN})),
    NavEntry(_("Administration"), "admin:index", frozenset({ADMIN})),
    NavEntry(_("Granskningslogg"), "audit:case_log", frozenset({SUPERVISOR})),
]


def entries_for(user, request: HttpRequest) -> list[dict]:
    """Return the entries for ``user`` as dicts with label, url and whether it is the current page."""
    result = []
    for entry in ENTRIES:
        if user.role not in entry.roles:
            continue
        if entry.officers_contact_persons_only and user.role == OFFICER and not user.is_contact_person:
            continue
        try:
            url = reverse(entry.url_name)
        except NoReverseMatch:
            # An app whose pages are not built yet simply has no entry.
            continue
        current = request.path == url or (url != "/" and request.path.startswith(url))
        result.append({"label": entry.label, "url": url, "current": current})
    # Only the most specific match is the current page: /arenden/inkorg/ is "Inkorg", not also "Mina ärenden".
    best = max((entry for entry in result if entry["current"]), key=lambda entry: len(entry["url"]), default=None)
    for entry in result:
        entry["current"] = entry is best
    return result
