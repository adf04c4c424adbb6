"""The permission matrix: every URL × method × persona × own/foreign object → the expected answer.

The table is ``permission_matrix.csv`` beside this module, one row per combination:

    url_name,method,persona,object,expected

- ``url_name``: a URL name with its namespace (``audit:case_log``); shell wildcards cover a family.
  ``admin:<changelist>#<action>`` is a POST of that admin action for one selected object.
- ``method``: GET or POST.
- ``persona``: one of PERSONAS.
- ``object``: ``own`` (an object of the persona's own case, in consent at the recipient), ``own_agreed``
  (the same kind of case after the recipient accepted), ``own_moved`` (after the move), ``own_closed``
  (closed after the move), ``foreign`` (someone else's), or ``-`` for a URL without an object.
- ``expected``: a status code (``200``, ``403``, ``404``, ``405``), ``302`` for any redirect, ``login``
  for a redirect to sign-in, ``verify`` for a redirect to the second step.

``walk_urls`` lists every named URL of the app by walking the resolver, so a new page without a row
fails ``test_permission_matrix.py``. That test also runs every row; a row with an object needs an entry
for its URL in that test's ``OBJECT_KINDS``, an admin URL with arguments one in ``_admin_arguments``.
"""

import csv
from dataclasses import dataclass
from fnmatch import fnmatchcase
from pathlib import Path

from django.urls import URLPattern, URLResolver, get_resolver, reverse

TABLE = Path(__file__).with_name("permission_matrix.csv")

PERSONAS = (
    "anonymous",
    "password_only",  # signed in, second factor not done
    "owner_officer",  # officer of the municipality that owns the case
    "recipient_contact",  # contact person of a municipality the case was sent to
    "receiving_officer",  # officer of that municipality, granted the case by its contact person after acceptance
    "unrelated_officer",  # officer of a municipality with no part in the case
    "unit_supervisor",  # unit supervisor of the receiving municipality
    "county_staff",
    "administrator",
)
OBJECTS = ("own", "own_agreed", "own_moved", "own_closed", "foreign", "-")
METHODS = ("GET", "POST")
OUTCOMES = {"200", "302", "403", "404", "405", "login", "verify"}


@dataclass(frozen=True)
class UrlEntry:
    name: str
    route: str
    arguments: tuple[str, ...]

    @property
    def has_object(self) -> bool:
        return bool(self.arguments)

    def path(self) -> str:
        """Return the path of a URL without arguments."""
        return reverse(self.name)


@dataclass(frozen=True)
class Row:
    url_name: str
    method: str
    persona: str
    object: str
    expected: str

    @property
    def name(self) -> str:
        """The URL name without the admin action."""
        return self.url_name.partition("#")[0]

    @property
    def action(self) -> str:
        """The admin action a row posts (``admin:…_changelist#action``), else ``""``."""
        return self.url_name.partition("#")[2]

    def covers(self, url_name: str) -> bool:
        return fnmatchcase(url_name, self.name)


def _arguments(pattern) -> tuple[str, ...]:
    regex = pattern.pattern.regex
    return tuple(regex.groupindex) or ("?",) * regex.groups


def _walk(patterns, namespace: str, prefix: str, arguments: tuple[str, ...]):
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        inner_arguments = arguments + _arguments(pattern)
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _walk(pattern.url_patterns, inner, route, inner_arguments)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield UrlEntry(name=f"{namespace}{pattern.name}", route=route, arguments=inner_arguments)


def walk_urls(urlconf: str | None = None) -> list[UrlEntry]:
    """Return every named URL of ``urlconf`` (default: the app's), each once, in resolver order."""
    seen: dict[str, UrlEntry] = {}
    resolver = get_resolver(urlconf)
    for entry in _walk(resolver.url_patterns, "", "", ()):
        # Keep the first route of a name, as reverse() does.
        seen.setdefault(entry.name, entry)
    return list(seen.values())


def load_table(path: Path = TABLE) -> list[Row]:
    """Read the table; raise ValueError on a malformed row."""
    rows = []
    with path.open(newline="", encoding="utf-8") as handle:
        for number, record in enumerate(csv.DictReader(line for line in handle if not line.startswith("#")), 2):
            row = Row(**{key: value.strip() for key, value in record.items()})
            problems = [
                f"method {row.method!r}" * (row.method not in METHODS),
                f"persona {row.persona!r}" * (row.persona not in PERSONAS),
                f"object {row.object!r}" * (row.object not in OBJECTS),
                f"expected {row.expected!r}" * (row.expected not in OUTCOMES),
            ]
            problems = [problem for problem in problems if problem]
            if problems:
                raise ValueError(f"{path.name} line {number}: unknown {', '.join(problems)}")
            rows.append(row)
    return rows


def urls_without_rows(urls: list[UrlEntry], rows: list[Row]) -> list[str]:
    """Return the names of URLs that no row covers."""
    return [url.name for url in urls if not any(row.covers(url.name) for row in rows)]


def rows_without_urls(urls: list[UrlEntry], rows: list[Row]) -> list[str]:
    """Return the row names (patterns) that match no URL: stale rows."""
    names = [url.name for url in urls]
    return sorted({row.url_name for row in rows if not any(row.covers(name) for name in names)})
