"""The move plan PDF: both checklists with done/open, the dates, the practical plan and the costs."""

import datetime

import time_machine

from cases.deadlines import economic_responsibility_date
from cases.documents import move_plan_context
from cases.models import CostItem, ReceivingChecklistItem, SendingChecklistItem
from lanskompott.pdf import render_pdf
from tests.documents.conftest import compact, flat, pdf_text


def render(move_plan) -> bytes:
    return render_pdf(template_name="documents/move_plan.html", context=move_plan_context(move_plan), title="Flyttplan")


def done_and_open(text: str, choices, done: set[str]) -> None:
    for item in choices:
        status = "☑ Klar" if item.value in done else "☐ Öppen"
        assert compact(f"{item.label} {status}") in compact(text), item.label


@time_machine.travel(datetime.datetime(2026, 12, 10, 12, tzinfo=datetime.UTC), tick=False)
def test_both_checklists_show_what_is_done_and_what_is_open(move_plan):
    text = pdf_text(render(move_plan))

    assert "Överlämnande kommuns säkerhetsgenomgång" in text
    assert "Mottagande kommuns säkerhetsgenomgång" in text
    assert "2 av 6 punkter klara." in flat(text)
    assert "1 av 6 punkter klara." in flat(text)
    done_and_open(text, SendingChecklistItem, {"tax_agency", "moving_firm"})
    done_and_open(text, ReceivingChecklistItem, {"housing_company"})
    assert "Utskriven 2026-12-10" in flat(text)
    assert "Överlämnande kommun Köping" in flat(text)
    assert "Mottagande kommun Sala" in flat(text)


def test_the_dates_come_from_the_plan_and_the_deadline_rules(move_plan):
    text = flat(pdf_text(render(move_plan)))
    expected = economic_responsibility_date(move_plan.planned_move_date)

    assert "Planerat flyttdatum 2027-01-15" in text
    assert "Sökta; Skatteverkets beslut 2026-12-01" in text
    assert "Flytt genomförd Inte genomförd" in text
    assert f"Ekonomiskt ansvar övergår {expected:%Y-%m-%d} (beräknat från planerat flyttdatum)" in text
    assert expected == datetime.date(2027, 3, 1)


def test_after_the_move_the_dates_follow_the_actual_move(move_plan):
    move_plan.moved_on = datetime.date(2027, 1, 20)
    move_plan.save(update_fields=["moved_on"])
    text = flat(pdf_text(render(move_plan)))

    assert "Flytt genomförd 2027-01-20" in text
    assert "Ekonomiskt ansvar övergår 2027-03-01" in text
    assert "(beräknat" not in text
    assert "Uppföljningsmöte senast 2027-02-20" in text


def test_an_agreed_date_for_economic_responsibility_wins(move_plan):
    move_plan.economic_agreement_date = datetime.date(2027, 4, 1)
    move_plan.economic_agreement_note = "Överlämnande kommun står för försörjningsstöd till och med mars."
    move_plan.economic_agreement_recorded_on = datetime.date(2026, 12, 5)
    move_plan.save()
    text = flat(pdf_text(render(move_plan)))

    assert "Ekonomiskt ansvar övergår 2027-04-01 (enligt överenskommelse)" in text
    assert "Överenskommelse om ekonomiskt ansvar (2026-12-05)" in text
    assert move_plan.economic_agreement_note in text


def test_the_tax_agency_decision_missing_is_spelled_out(move_plan):
    move_plan.protected_data_decided_on = None
    move_plan.save(update_fields=["protected_data_decided_on"])
    text = flat(pdf_text(render(move_plan)))

    assert "Skatteverkets beslut är inte registrerat. Flyttdatum kan inte bekräftas förrän beslutet finns." in text


def test_cost_items_show_who_pays_and_the_totals(move_plan):
    text = flat(pdf_text(render(move_plan), layout=True))

    assert "Flyttfirma Överlämnande kommun 18 500,00" in text
    assert "Hemutrustning Överlämnande kommun 7 250,50" in text
    assert "Dubbla hyror i januari Överlämnande kommun –" in text
    assert "Möte med skolan Mottagande kommun 0,00" in text
    assert "Summa, överlämnande kommun 25 750,50" in text
    assert "Summa, mottagande kommun 0,00" in text


def test_the_practical_plan_is_printed(move_plan):
    text = pdf_text(render(move_plan))

    assert compact("Vem packar? " + move_plan.who_packs) in compact(text)
    assert compact("Vad kan tas med, vad behöver köpas nytt? " + move_plan.what_goes) in compact(text)
    assert compact("Tillträde före flytt? Inte ifyllt.") in compact(text)


def test_a_plan_without_costs_or_dates_still_prints(move_plan):
    move_plan.cost_items.all().delete()
    move_plan.planned_move_date = None
    move_plan.protected_data_applied = False
    move_plan.protected_data_decided_on = None
    move_plan.sending_checklist = {}
    move_plan.save()
    text = flat(pdf_text(render(move_plan)))

    assert "Inga kostnader registrerade." in text
    assert "Planerat flyttdatum Inte bestämt" in text
    assert "Ekonomiskt ansvar övergår Beräknas när flyttdatum är bestämt" in text
    assert "0 av 6 punkter klara." in text


def test_a_long_move_plan_is_numbered_on_every_page_and_the_cost_total_is_kept(move_plan):
    for number in range(40):
        CostItem.objects.create(
            move_plan=move_plan, description=f"Sluträkning nummer {number}", amount=100, payer="sending"
        )
    pages = pdf_text(render(move_plan)).split("\f")[:-1]

    assert len(pages) >= 2
    for number, page in enumerate(pages, start=1):
        assert f"Sida {number} av {len(pages)}" in flat(page)
    assert "Sluträkning nummer 39" in flat("".join(pages))
    assert "Summa, överlämnande kommun 29 750,50" in flat(pdf_text(render(move_plan), layout=True))
