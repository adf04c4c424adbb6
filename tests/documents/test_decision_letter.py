"""The decision letter PDF: an acceptance with the consenting units, or a written, motivated decline."""

import pytest
from django.core.exceptions import ObjectDoesNotExist

from cases.documents import decision_letter_context
from lanskompott.pdf import render_pdf
from tests.documents.conftest import compact, flat, pdf_text


def render(request) -> bytes:
    return render_pdf(
        template_name="documents/decision_letter.html",
        context=decision_letter_context(request),
        title="Beslut om förfrågan",
    )


def test_an_acceptance_names_the_deciding_municipality_and_every_consenting_unit(accepted_request):
    text = flat(pdf_text(render(accepted_request)))

    assert "Beslut om förfrågan" in text
    assert f"Referens {accepted_request.case.reference}" in text
    assert "Datum för beslut 2026-11-12" in text
    assert "Beslutande kommun Sala" in text
    assert "Till Köping" in text
    assert "Förfrågan mottagen 2026-11-02" in text
    assert "Beslutat av Örjan Ärlig" in text
    assert "Sala accepterar förfrågan och tar emot ärendet." in text
    assert "Vuxen 2026-11-12" in text
    assert "Ekonomiskt bistånd 2026-11-12" in text
    assert "Nästa steg är ett förmöte" in text
    assert "nekar" not in text
    assert "Sida 1 av 1" in text


def test_a_decline_carries_its_ground_motivation_and_resources(declined_request):
    decision = declined_request.decision
    text = pdf_text(render(declined_request))

    assert "Sala nekar förfrågan." in flat(text)
    assert "Grund Kommunens interna resurser kan inte tillgodose behovet" in flat(text)
    assert compact("Motivering " + decision.motivation) in compact(text)
    assert compact("Kommunens resurser " + decision.resources_description) in compact(text)
    assert "accepterar" not in text


def test_a_quota_decline_prints_no_empty_resources_heading(declined_request):
    decision = declined_request.decision
    decision.ground = "quota_received"
    decision.resources_description = ""
    decision.save(update_fields=["ground", "resources_description"])
    text = flat(pdf_text(render(declined_request)))

    assert "Grund Det överenskomna antalet ärenden har redan tagits emot" in text
    assert "Kommunens resurser" not in text


def test_an_unanswered_request_has_no_decision_letter(filled_request):
    with pytest.raises(ObjectDoesNotExist):
        decision_letter_context(filled_request)
