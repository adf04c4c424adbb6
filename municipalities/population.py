"""Read SCB population files (``code;name;population``, UTF-8) and apply them."""

import csv
import io
from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from municipalities.models import Municipality, Network, PopulationCount


class PopulationFileError(ValueError):
    """A row of a population file is wrong; ``row`` is its line number in the file."""

    def __init__(self, row: int, reason: str) -> None:
        super().__init__(_("Rad %(row)s: %(reason)s") % {"row": row, "reason": reason})
        self.row = row
        self.reason = reason


@dataclass(frozen=True)
class PopulationRow:
    code: str
    name: str
    population: int
    # The row's line number in the file, for error messages.
    line: int = 0


def parse_population_file(text: str) -> list[PopulationRow]:
    """Return the rows of ``text``; raise PopulationFileError naming the first bad row."""
    text = text.lstrip("\ufeff")
    reader = csv.reader(io.StringIO(text), delimiter=";")
    rows: list[PopulationRow] = []
    seen: set[str] = set()
    for line_number, fields in enumerate(reader, start=1):
        if not fields or all(not f.strip() for f in fields):
            continue
        if line_number == 1 and fields[0].strip().lower() == "code":
            continue
        if len(fields) != 3:
            raise PopulationFileError(line_number, _("raden ska ha tre fält (kod;namn;folkmängd)."))
        code, name, population_text = (f.strip() for f in fields)
        if not (len(code) == 4 and code.isdigit()):
            raise PopulationFileError(line_number, _("kommunkoden %(code)r är inte fyra siffror.") % {"code": code})
        if not name:
            raise PopulationFileError(line_number, _("namnet saknas."))
        cleaned = population_text.replace(" ", "").replace("\u00a0", "")
        if not cleaned.isdigit():
            raise PopulationFileError(
                line_number, _("folkmängden %(value)r är inte ett heltal.") % {"value": population_text}
            )
        if code in seen:
            raise PopulationFileError(line_number, _("kommunkoden %(code)s finns två gånger.") % {"code": code})
        seen.add(code)
        rows.append(PopulationRow(code=code, name=name, population=int(cleaned), line=line_number))
    if not rows:
        raise PopulationFileError(1, _("filen innehåller inga kommuner."))
    return rows


@transaction.atomic
def apply_population(*, rows: list[PopulationRow], counted_on: date, network: Network | None = None) -> dict:
    """Record the populations of ``rows`` counted on ``counted_on``; with ``network``, create missing members.

    Each row adds (or corrects) the municipality's count of that date in its history, and the
    municipality's own figures follow the latest count. Either every row is saved or, on an error, none is.
    Return counts: ``{"created": n, "updated": n, "unchanged": n}``.
    """
    counts = {"created": 0, "updated": 0, "unchanged": 0}
    for row in rows:
        municipality = Municipality.objects.select_for_update().filter(scb_code=row.code).first()
        if municipality is None:
            if network is None:
                raise PopulationFileError(
                    row.line, _("kommunkoden %(code)s finns inte i registret.") % {"code": row.code}
                )
            municipality = Municipality.objects.create(
                network=network,
                scb_code=row.code,
                name=row.name,
                population=row.population,
                population_counted_on=counted_on,
            )
            PopulationCount.objects.create(municipality=municipality, counted_on=counted_on, population=row.population)
            counts["created"] += 1
            continue
        count_changed = _record_count(municipality, counted_on, row.population)
        figures_changed = follow_latest_count(municipality, name=row.name)
        counts["updated" if count_changed or figures_changed else "unchanged"] += 1
    return counts


def _record_count(municipality: Municipality, counted_on: date, population: int) -> bool:
    """Add or correct the count of ``counted_on``; return whether anything changed."""
    count, created = PopulationCount.objects.get_or_create(
        municipality=municipality, counted_on=counted_on, defaults={"population": population}
    )
    if created:
        return True
    if count.population == population:
        return False
    count.population = population
    count.save(update_fields=["population"])
    return True


def follow_latest_count(municipality: Municipality, *, name: str | None = None) -> bool:
    """Set the municipality's figures (and ``name`` if given) to its latest count; return whether they changed.

    A municipality without any count gets one from its own figures, so that its history is never empty.
    """
    latest = municipality.population_counts.order_by("-counted_on").first()
    if latest is None:
        PopulationCount.objects.create(
            municipality=municipality,
            counted_on=municipality.population_counted_on,
            population=municipality.population,
        )
        latest_figures = (municipality.population, municipality.population_counted_on)
    else:
        latest_figures = (latest.population, latest.counted_on)
    new_name = municipality.name if name is None else name
    if (municipality.population, municipality.population_counted_on, municipality.name) == (*latest_figures, new_name):
        return False
    municipality.population, municipality.population_counted_on = latest_figures
    municipality.name = new_name
    municipality.save(update_fields=["population", "population_counted_on", "name"])
    return True
