"""Read SCB population files (``code;name;population``, UTF-8) and apply them."""

import csv
import io
from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from municipalities.models import Municipality, Network


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
    """Update the populations of ``rows``; with ``network``, create missing members.

    Either every row is saved or, on an error, none is.
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
            Municipality.objects.create(
                network=network,
                scb_code=row.code,
                name=row.name,
                population=row.population,
                population_counted_on=counted_on,
            )
            counts["created"] += 1
            continue
        if (
            municipality.population == row.population
            and municipality.population_counted_on == counted_on
            and municipality.name == row.name
        ):
            counts["unchanged"] += 1
            continue
        municipality.population = row.population
        municipality.population_counted_on = counted_on
        municipality.name = row.name
        municipality.save(update_fields=["population", "population_counted_on", "name"])
        counts["updated"] += 1
    return counts
