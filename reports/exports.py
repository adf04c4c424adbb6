"""CSV, XLSX and PDF downloads of the report's tables.

Spreadsheet programs run a cell that begins with ``=``, ``+``, ``-`` or ``@`` as a formula, so every text
cell that starts like that (or with a tab or carriage return) is written with a leading apostrophe.
Municipality names and labels come from the database, which an administrator edits.
"""

import csv
import io
import re

from django.http import HttpResponse
from django.utils.functional import Promise
from django.utils.text import slugify
from django.utils.translation import gettext as _

from reports.tables import Table

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def neutralise(value):
    """Return ``value`` safe for a spreadsheet cell: text that could start a formula gets a leading ``'``."""
    if isinstance(value, Promise):
        value = str(value)
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def _csv_value(value):
    if isinstance(value, float):
        # Swedish spreadsheets read a decimal comma; the separator is a semicolon.
        return f"{value:.1f}".replace(".", ",")
    return neutralise(value)


def _attachment(response: HttpResponse, filename: str) -> HttpResponse:
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


def table_csv(table: Table, *, filename: str) -> HttpResponse:
    """Return ``table`` as a semicolon-separated UTF-8 file (with BOM, so that Excel reads å, ä, ö)."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response.write("\ufeff")
    writer = csv.writer(response, delimiter=";")
    writer.writerow([neutralise(column.label) for column in table.columns])
    for row in table.rows:
        writer.writerow([_csv_value(value) for value in row])
    return _attachment(response, f"{filename}.csv")


def _sheet_title(title: str) -> str:
    return re.sub(r"[\[\]:*?/\\]", " ", title)[:31] or _("Tabell")


def table_xlsx_bytes(table: Table) -> bytes:
    """Return ``table`` as an XLSX workbook with one sheet (openpyxl in write-only mode)."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_sheet_title(table.title))

    def cell(value):
        value = neutralise(value)
        result = WriteOnlyCell(sheet, value=value)
        if isinstance(value, str):
            # Text is text: never let openpyxl store it as a formula.
            result.data_type = "s"
        return result

    sheet.append([cell(column.label) for column in table.columns])
    for row in table.rows:
        sheet.append([cell(value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def table_xlsx(table: Table, *, filename: str) -> HttpResponse:
    response = HttpResponse(table_xlsx_bytes(table), content_type=XLSX_TYPE)
    return _attachment(response, f"{filename}.xlsx")


def export_filename(*, key: str, period_slug: str, publication: bool) -> str:
    name = f"lusam-{slugify(key)}-{period_slug}"
    return f"{name}-publicering" if publication else name


def summary_pdf(*, context: dict) -> bytes:
    """Return the meeting summary of a report as PDF bytes."""
    from django.utils.translation import gettext

    from lanskompott.pdf import render_pdf

    # render_pdf lets WeasyPrint read the app's own static files only and writes neutral metadata.
    return render_pdf(template_name="reports/summary_pdf.html", context=context, title=gettext("LUSAM-sammanfattning"))
