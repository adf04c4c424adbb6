"""Issue 8.1: one case carried through every step in a real browser, by the people who do each step.

Köping's case officer sends a request to Arboga and to Sala. Arboga first tries the ground "quota already
received" while under its quota, is refused on the page, and declines on its resources instead. Sala's
contact person starts accepting; the adult and the children supervisors consent, so Sala accepts. Both Arboga
and Köping see the result. Then the pre-meeting, the move plan with the protected-personal-data gate (the move
cannot be confirmed before the Tax Agency's decision is recorded), the move, the follow-up meeting and the
closing. Finally the county's staff find the case's LUSAM record in the reports, and the case itself answers 404.

Every person signs in once through the login page with the password and a fresh authenticator code; every page
met is screenshotted and checked with axe-core (``Person.check``).
"""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from cases.models import Case, CaseStatus, LusamRecord, RequestStatus
from tests.conftest import municipality

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def region(page: Page, name: str):
    """A ``<section aria-labelledby>`` by its heading."""
    return page.get_by_role("region", name=name, exact=True)


def expect_message(page: Page, text: str) -> None:
    expect(page.get_by_role("status").filter(has_text=text)).to_be_visible()


def test_a_case_from_preparation_to_lusam_record(
    visitor,
    officer_koping,
    contact_arboga,
    contact_sala,
    supervisor_sala_adult,
    supervisor_sala_children,
    county_staff,
):
    today = timezone.localdate().isoformat()

    # --- Köping creates the case -------------------------------------------------------------------------------
    koping = visitor(officer_koping)
    page = koping.sign_in()
    page.get_by_role("link", name="Nytt ärende").click()
    expect(page.get_by_role("heading", name="Nytt ärende", level=1)).to_be_visible()
    koping.check("case-create")
    page.get_by_label("Kvinna", exact=True).check()
    page.get_by_label("Den enskilde är över 18 år").check()
    page.get_by_label("Stödbehoven kan tillgodoses inom öppenvården").check()
    page.get_by_label("Medföljande barns åldrar").fill("7, 16")
    page.get_by_role("group", name="Kommuner som aldrig får tillfrågas").get_by_label("Västerås").check()
    page.get_by_role("button", name="Skapa ärendet").click()

    # --- Preparation (rule 2) ----------------------------------------------------------------------------------
    expect(page.get_by_role("heading", name="Det här saknas innan en förfrågan kan skickas")).to_be_visible()
    case = Case.objects.get()
    assert sorted(child.age for child in case.children.all()) == [7, 16]
    koping.check("preparation-missing")
    page.get_by_label("Metod för strukturerad riskbedömning").select_option(label="FREDA")
    page.get_by_label("Datum för riskbedömningen").fill(today)
    page.get_by_label("Inte aktuellt i ärendet").check()
    page.get_by_label("Datum för den enskildes samtycke").fill(today)
    page.get_by_label("Utredning av behov av skydd och stöd är gjord").check()
    page.get_by_label("Separat analys för vuxna är gjord").check()
    page.get_by_label("Separat analys för barn är gjord").check()
    page.get_by_label("Vårdnad och umgänge är bedömda").check()
    page.get_by_label("Datum för socialnämndens bedömning").fill(today)
    page.get_by_label("Socialnämnden bedömer att byte av bostadsort är nödvändigt").check()
    page.get_by_label("Socialnämnden bedömer att skyddsbehovet inte kräver boende utanför länet").check()
    page.get_by_label("Arbetsanteckningar").fill("Arbetsanteckning: bara för Köping.")
    for child in ("Barn 1, 16 år", "Barn 2, 7 år"):
        group = page.get_by_role("group", name=child)
        group.get_by_label("Barnet har informerats").check()
        group.get_by_label("Barnet har fått lämna synpunkter och ge samtycke").check()
    page.get_by_role("button", name="Spara förberedelsen").click()
    expect(page.get_by_role("heading", name="Förberedelsen är klar")).to_be_visible()
    koping.check("preparation-done")

    # --- The request form --------------------------------------------------------------------------------------
    page.get_by_role("navigation", name="Ärendets delar").get_by_role("link", name="Förfrågningsunderlag").click()
    expect(page.get_by_role("heading", name="Förfrågningsunderlag", level=1)).to_be_visible()
    koping.check("form-draft")
    page.get_by_label("Bakgrundsinformation om sökande").fill("Kvinna i 30-årsåldern med två barn.")
    page.get_by_label("Boende", exact=True).fill("Tre rum, bottenvåning.")
    page.get_by_role("button", name="Spara underlaget").click()
    expect(page.get_by_label("Bakgrundsinformation om sökande")).to_have_value("Kvinna i 30-årsåldern med två barn.")
    koping.check("form-draft-saved")

    # --- Send to Arboga and Sala (rules 3–4) -------------------------------------------------------------------
    page.get_by_role("navigation", name="Ärendets delar").get_by_role("link", name="Välj mottagare").click()
    expect(page.get_by_text("Västerås är spärrad i det här ärendet")).to_be_visible()
    expect(page.get_by_label("Västerås", exact=True)).to_be_disabled()
    koping.check("send")
    page.get_by_label("Arboga", exact=True).check()
    page.get_by_label("Sala", exact=True).check()
    page.get_by_role("button", name="Skicka förfrågan").click()
    expect(page.locator(".messages")).to_be_visible()
    koping.check("sent")
    page.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name="Mina ärenden").click()
    expect(page.get_by_text("Väntar på svar från Arboga, 21 dagar kvar")).to_be_visible()
    expect(page.get_by_text("Väntar på svar från Sala, 21 dagar kvar")).to_be_visible()
    koping.check("my-cases-sent")
    to_arboga = case.requests.get(recipient=municipality("Arboga"))
    to_sala = case.requests.get(recipient=municipality("Sala"))

    # --- Arboga declines: the quota ground is refused while below quota (rule 6) --------------------------------
    arboga = visitor(contact_arboga)
    page = arboga.sign_in()
    page.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name="Inkorg").click()
    arboga.check("inbox")
    page.get_by_role("link", name=case.reference).click()
    expect(page.get_by_text("Kvinna i 30-årsåldern med två barn.")).to_be_visible()
    expect(page.get_by_text("Arbetsanteckning")).to_have_count(0)
    arboga.check("request")
    page.get_by_role("link", name="Besvara förfrågan").click()
    expect(page.get_by_text("Bostadsbrist i kommunen är aldrig en grund").first).to_be_visible()
    arboga.check("decide")
    decline = region(page, "Neka")
    decline.get_by_label("Det överenskomna antalet ärenden har redan tagits emot").check()
    decline.get_by_label("Skriftlig motivering").fill("Vi har fullt i år.")
    decline.get_by_role("button", name="Neka förfrågan").click()
    expect(page.get_by_text("kan inte användas: Arboga har tagit emot 0 av").first).to_be_visible()
    arboga.check("decide-quota-refused")
    to_arboga.refresh_from_db()
    assert to_arboga.status == RequestStatus.SENT
    decline = region(page, "Neka")
    decline.get_by_label("Kommunens interna resurser kan inte tillgodose behovet").check()
    decline.get_by_label("Skriftlig motivering").fill("Behovet av stöd kan inte tillgodoses i dag.")
    decline.get_by_label("Beskrivning av kommunens resurser").fill("En socialsekreterare på vuxenenheten.")
    decline.get_by_role("button", name="Neka förfrågan").click()
    expect_message(page, "Förfrågan är nekad.")
    arboga.check("request-declined")
    to_arboga.refresh_from_db()
    assert to_arboga.status == RequestStatus.DECLINED

    # --- Sala accepts with the consent of two units (rule 5) ----------------------------------------------------
    sala = visitor(contact_sala)
    page = sala.sign_in()
    page.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name="Inkorg").click()
    sala.check("inbox")
    page.get_by_role("link", name=case.reference).click()
    sala.check("request")
    page.get_by_role("link", name="Besvara förfrågan").click()
    sala.check("decide")
    accept = region(page, "Acceptera")
    accept.get_by_label("Vuxen", exact=True).check()
    accept.get_by_label("Barn och familj", exact=True).check()
    accept.get_by_role("button", name="Be arbetsledarna om samtycke").click()
    expect_message(page, "De valda enheternas arbetsledare ombeds nu att samtycka.")
    sala.check("request-consenting")
    to_sala.refresh_from_db()
    assert to_sala.status == RequestStatus.CONSENTING

    for supervisor, unit in ((supervisor_sala_adult, "Vuxen"), (supervisor_sala_children, "Barn och familj")):
        person = visitor(supervisor)
        page = person.sign_in()
        page.get_by_role("link", name="1 förfrågan väntar på ditt samtycke").click()
        person.check("consents")
        page.get_by_role("button", name=f"Samtyck för {unit} i ärende {case.reference}").click()
        expect_message(page, f"Samtycke givet för {unit} i ärende {case.reference}.")
        expect(page.get_by_text("Inga förfrågningar väntar på ditt samtycke.")).to_be_visible()
        person.check("consents-given")
    to_sala.refresh_from_db()
    case.refresh_from_db()
    assert to_sala.status == RequestStatus.ACCEPTED
    assert case.status == CaseStatus.AGREED

    # --- The declined municipality and the sender see the result (rule 7) ---------------------------------------
    page = arboga.page
    page.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name="Inkorg").click()
    row = page.get_by_role("row").filter(has=page.get_by_role("link", name=case.reference))
    expect(row).to_contain_text("Nekad")
    arboga.check("inbox-after")

    page = koping.page
    page.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name="Mina ärenden").click()
    expect(page.get_by_text("Er tur: förmöte med berörda enheter i båda kommunerna")).to_be_visible()
    koping.check("my-cases-agreed")
    page.get_by_role("link", name=case.reference).click()
    requests_table = region(page, "Förfrågningar")
    expect(requests_table.get_by_role("row").filter(has_text="Sala")).to_contain_text("Accepterad")
    expect(requests_table.get_by_role("row").filter(has_text="Arboga")).to_contain_text("Nekad")
    koping.check("case-agreed")

    # --- Pre-meeting and collaboration (rule 9) -----------------------------------------------------------------
    page.get_by_role("navigation", name="Ärendets delar").get_by_role("link", name="Samarbete").click()
    koping.check("collaboration")
    meeting = region(page, "Förmöte")
    meeting.get_by_label("Datum för mötet").fill(today)
    meeting.get_by_role("group", name="Enheter från överlämnande kommun").get_by_label("Vuxen", exact=True).check()
    meeting.get_by_role("group", name="Enheter från mottagande kommun").get_by_label("Vuxen", exact=True).check()
    meeting.get_by_role("button", name="Registrera förmötet").click()
    expect(page.locator(".messages")).to_be_visible()
    koping.check("collaboration-meeting")

    # --- Move plan: both sides' checklists and the protected-data gate (rules 10–11) ---------------------------
    page.get_by_role("navigation", name="Ärendets delar").get_by_role("link", name="Flyttplan").click()
    koping.check("move-plan")
    plan = region(page, "Säkerhetsgenomgång och praktisk plan")
    checklist = plan.get_by_role("group", name="Överlämnande kommuns säkerhetsgenomgång")
    for box in checklist.get_by_role("checkbox").all():
        box.check()
    plan.get_by_label("Vem packar?").fill("Flyttfirma från annan ort.")
    plan.get_by_label("Skyddade personuppgifter har sökts hos Skatteverket").check()
    plan.get_by_label("Planerat flyttdatum").fill(today)
    plan.get_by_role("button", name="Spara flyttplanen").click()
    expect(page.get_by_text("Sökt – Skatteverkets beslut saknas.")).to_be_visible()
    koping.check("move-plan-saved")

    costs = region(page, "Kostnader")
    costs.get_by_label("Kostnad").fill("Flyttfirma")
    costs.get_by_label("Belopp i kronor").fill("12000")
    costs.get_by_label("Överlämnande kommun").check()
    costs.get_by_role("button", name="Lägg till kostnaden").click()
    expect(region(page, "Kostnader").get_by_role("rowheader", name="Flyttfirma")).to_be_visible()
    koping.check("move-plan-cost-added")

    # The gate: confirming the move before the Tax Agency's decision is refused on the page.
    move = region(page, "Bekräfta flytten")
    expect(move).to_contain_text("Flytten kan inte bekräftas förrän det är gjort.")
    move.get_by_label("Flyttdatum").fill(today)
    move.get_by_role("button", name="Bekräfta flytten").click()
    expect(
        page.get_by_text("flytten kan inte bekräftas förrän Skatteverkets beslut är registrerat").first
    ).to_be_visible()
    koping.check("move-refused")
    case.refresh_from_db()
    assert case.status == CaseStatus.AGREED

    page = sala.page
    page.goto(sala.url("cases:move_plan", case.pk))
    sala.check("move-plan")
    plan = region(page, "Säkerhetsgenomgång och praktisk plan")
    for box in plan.get_by_role("group", name="Mottagande kommuns säkerhetsgenomgång").get_by_role("checkbox").all():
        box.check()
    plan.get_by_role("button", name="Spara flyttplanen").click()
    expect(page.locator(".messages")).to_be_visible()
    sala.check("move-plan-saved")
    tax = region(page, "Skatteverkets beslut")
    tax.get_by_label("Datum för Skatteverkets beslut om skyddade personuppgifter").fill(today)
    tax.get_by_role("button", name="Registrera beslutet").click()
    expect(page.get_by_text(f"Skatteverket beslutade {today}")).to_be_visible()
    sala.check("move-plan-tax-recorded")

    page = koping.page
    page.goto(koping.url("cases:move_plan", case.pk))
    expect(page.get_by_text(f"Skatteverket beslutade {today}")).to_be_visible()
    koping.check("move-plan-tax-recorded")
    move = region(page, "Bekräfta flytten")
    move.get_by_label("Flyttdatum").fill(today)
    move.get_by_role("button", name="Bekräfta flytten").click()
    dates = region(page, "Datum")
    expect(dates).not_to_contain_text("Inte bekräftat")
    moved = timezone.localdate()
    economic = (moved.replace(day=1) + datetime.timedelta(days=62)).replace(day=1)
    expect(dates).to_contain_text(economic.isoformat())
    koping.check("moved")
    case.refresh_from_db()
    assert case.status == CaseStatus.MOVED

    # --- Follow-up meeting (rule 13) and closing (rule 14) ------------------------------------------------------
    page = sala.page
    page.goto(sala.url("cases:detail", case.pk))
    sala.check("case-moved")
    page.get_by_role("navigation", name="Ärendets delar").get_by_role("link", name="Efter flytt").click()
    sala.check("after-move")
    follow = region(page, "Gemensamt uppföljningsmöte")
    follow.get_by_label("Datum för mötet").fill(today)
    follow.get_by_role("group", name="Enheter från överlämnande kommun").get_by_label("Vuxen", exact=True).check()
    follow.get_by_role("group", name="Enheter från mottagande kommun").get_by_label("Vuxen", exact=True).check()
    follow.get_by_role("button", name="Registrera mötet").click()
    expect(page.locator(".messages")).to_be_visible()
    sala.check("follow-up-recorded")

    page = koping.page
    page.get_by_role("navigation", name="Ärendets delar").get_by_role("link", name="Avsluta").click()
    koping.check("close")
    page.get_by_label("Flytt genomförd").check()
    page.get_by_role("button", name="Avsluta ärendet").click()
    expect(page.get_by_text("LUSAM-redovisning").first).to_be_visible()
    koping.check("closed")
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED
    record = LusamRecord.objects.get(case=case)

    # --- The county finds the LUSAM record, and has no way into the case ---------------------------------------
    county = visitor(county_staff)
    page = county.sign_in()
    page.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name="Rapporter").click()
    county.check("reports")
    assert case.reference not in page.content()
    page.get_by_role("link", name="LUSAM-redovisningar").first.click()
    county.check("lusam-records")
    row = page.get_by_role("row").filter(has_text="Köping").filter(has_text="Sala")
    expect(row).to_have_count(1)
    for text in ("Arboga, Sala", "Kvinna med barn", "Flytt genomförd"):
        expect(row).to_contain_text(text)
    # The record names no case, and nothing on the page leads into one.
    assert case.reference not in page.content()
    expect(page.locator(f"a[href^='{reverse('cases:detail', args=[case.pk])}']")).to_have_count(0)
    assert record.destination_id == municipality("Sala").pk
    response = page.goto(county.url("cases:detail", case.pk))
    assert response.status == 404
    expect(page.get_by_role("heading", name="Sidan finns inte", level=1)).to_be_visible()
    assert case.reference not in page.content()
    county.check("case-404")
