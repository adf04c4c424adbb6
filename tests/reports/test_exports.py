"""CSV, XLSX and PDF downloads: contents, formula neutralisation, publication and the audit log."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from audit.models import AuditAction, AuditEvent
from reports.exports import neutralise

YEAR = {"period": "year", "year": "2025"}


def export(client, key, fmt, **extra):
    return client.get(reverse("reports:export", args=[key, fmt]), {**YEAR, **extra})


@pytest.mark.parametrize("text", ["=1+2", "+46", "-2+3", "@SUM(A1)", "\t=1", "\r=1"])
def test_neutralise_formula_starts(text):
    assert neutralise(text) == "'" + text


def test_neutralise_leaves_the_rest():
    assert neutralise("Köping") == "Köping"
    assert neutralise(3) == 3
    assert neutralise(-1) == -1
    assert neutralise(None) is None


@pytest.fixture
def hostile_name(dataset):
    dataset.F.name = '=HYPERLINK("http://example.org","Klicka")'
    dataset.F.save()
    return dataset.F.name


def test_csv_of_every_table(dataset, county_staff, client_for):
    client = client_for(county_staff)
    response = export(client, "kommuner", "csv")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="lusam-kommuner-2025-01-01_2025-12-31.csv"'
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeffKommun;Skickade;Mottagna;")
    assert "Köping;5;3;1;0;0;0;0;1;1;1" in text
    index = client.get(reverse("reports:index"), YEAR)
    keys = [table.key for _chart, table in index.context["quota_sections"]] + [
        index.context[name].key
        for name in (
            "municipality_table",
            "lead_time_table",
            "deadline_table",
            "outcome_table",
            "summary_table",
            "reason_table",
        )
    ]
    for key in [*keys, "lusam-redovisningar"]:
        for fmt in ("csv", "xlsx"):
            assert export(client, key, fmt).status_code == 200, (key, fmt)
    assert AuditEvent.objects.filter(action=AuditAction.EXPORT).count() == 1 + 2 * (len(keys) + 1)


def test_csv_uses_decimal_comma(dataset, county_staff, client_for):
    text = export(client_for(county_staff), "ledtider", "csv").content.decode("utf-8-sig")
    assert "Från förfrågan till beslut;5;17,0;9;29" in text


def test_csv_neutralises_formulas(hostile_name, county_staff, client_for):
    text = export(client_for(county_staff), "kommuner", "csv").content.decode("utf-8-sig")
    assert "'=HYPERLINK(" in text
    assert "\n=HYPERLINK" not in text and '\n"=HYPERLINK' not in text


def test_xlsx_neutralises_formulas(hostile_name, county_staff, client_for):
    response = export(client_for(county_staff), "fordelning-2025", "xlsx")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    cells = {row[0].value: row for row in sheet.iter_rows(min_row=2)}
    hostile = cells["'" + hostile_name]
    assert hostile[0].data_type == "s"
    assert hostile[3].value == 1  # Fagersta handed over one case: numbers stay numbers
    assert sheet["A1"].value == "Kommun"
    for row in sheet.iter_rows():
        for cell in row:
            assert cell.data_type != "f"


def test_publication_export_suppresses(dataset, county_staff, client_for):
    response = export(client_for(county_staff), "kommuner", "csv", publicering="1")
    text = response.content.decode("utf-8-sig")
    assert 'filename="lusam-kommuner-2025-01-01_2025-12-31-publicering.csv"' in response["Content-Disposition"]
    assert "Köping;5;3;<3;0;0;0;0;<3;<3;<3" in text


def test_records_are_never_exported_for_publication(dataset, county_staff, client_for):
    client = client_for(county_staff)
    assert export(client, "lusam-redovisningar", "csv", publicering="1").status_code == 404
    assert export(client, "lusam-redovisningar", "xlsx", publicering="1").status_code == 404
    assert not AuditEvent.objects.filter(action=AuditAction.EXPORT).exists()


def test_unknown_table_or_format(dataset, county_staff, client_for):
    client = client_for(county_staff)
    assert export(client, "arenden", "csv").status_code == 404
    assert export(client, "kommuner", "json").status_code == 404


def test_export_with_a_wrong_period_is_refused(dataset, county_staff, client_for):
    response = client_for(county_staff).get(
        reverse("reports:export", args=["kommuner", "csv"]), {"period": "year", "year": "x"}
    )
    assert response.status_code == 400
    assert not AuditEvent.objects.filter(action=AuditAction.EXPORT).exists()


def test_exports_are_audited(dataset, officer_koping, client_for):
    client = client_for(officer_koping)
    export(client, "kommuner", "csv")
    export(client, "kommuner", "xlsx", publicering="1")
    client.get(reverse("reports:pdf"), YEAR)
    events = list(AuditEvent.objects.filter(action=AuditAction.EXPORT).order_by("pk"))
    assert [e.path_name for e in events] == ["reports:export", "reports:export", "reports:pdf"]
    assert {e.user for e in events} == {officer_koping}
    assert {e.organisation for e in events} == {"Köping"}
    assert {e.case_id for e in events} == {None}


def test_officer_export_holds_own_figures_only(dataset, officer_koping, client_for):
    text = export(client_for(officer_koping), "kommuner", "csv").content.decode("utf-8-sig")
    assert text.splitlines()[1:] == ["Köping;5;3;1;0;0;0;0;1;1;1"]


def pdf_text(response) -> str:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)


def test_pdf_summary(dataset, county_staff, client_for):
    client = client_for(county_staff)
    response = client.get(reverse("reports:pdf"), YEAR)
    text = pdf_text(response)
    assert "LUSAM-sammanfattning – Kalenderåret 2025" in text
    # Rendered by lanskompott.pdf: neutral metadata that names no network.
    metadata = PdfReader(io.BytesIO(response.content)).metadata
    assert metadata.title == "Socialtjänsten – LUSAM-sammanfattning"
    assert "Västmanland" not in str(dict(metadata))
    assert "LUSAM-redovisningar av avslutade ärenden" in text
    assert "Fördelningsnyckeln 2025" in text
    published = pdf_text(client.get(reverse("reports:pdf"), {**YEAR, "publicering": "1"}))
    assert "Version för publicering" in published
    assert "LUSAM-redovisningar av avslutade ärenden" not in published
    assert "<3" in published
    assert AuditEvent.objects.filter(action=AuditAction.EXPORT, path_name="reports:pdf").count() == 2


def test_pdf_leaves_long_record_lists_to_the_spreadsheet(dataset, county_staff, client_for, monkeypatch):
    from reports import views

    monkeypatch.setattr(views, "PDF_MAX_RECORDS", 3)
    text = pdf_text(client_for(county_staff).get(reverse("reports:pdf"), YEAR))
    assert "4 redovisningar är för många för sammanfattningen" in text
    assert "Ingen kommun kunde ta emot" in text  # in the aggregated reasons table
