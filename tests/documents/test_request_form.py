"""The request form PDF (förfrågningsunderlag): facts, the nine sections, guiding questions, page numbers."""

import pytest

from cases.documents import SECTION_GUIDANCE, request_form_context
from cases.models import RequestFormSection
from lanskompott.pdf import STATIC_BASE_URL, render_pdf
from tests.documents.conftest import FILLED_FORM, compact, flat, pdf_text
from tests.documents.test_pdf import STATIC_FILES_OF_A_DOCUMENT
from tests.factories import ChildFactory


def render(request) -> bytes:
    return render_pdf(
        template_name="documents/request_form.html",
        context=request_form_context(request),
        title="Förfrågningsunderlag",
    )


def test_every_heading_and_every_entered_text_is_on_the_paper_with_swedish_letters(filled_request):
    text = flat(pdf_text(render(filled_request)))

    assert "Förfrågningsunderlag" in text
    for section in RequestFormSection:
        assert str(section.label) in text
    for entered in FILLED_FORM.values():
        assert compact(entered) in compact(text)
    assert "å" in text and "ä" in text and "ö" in text and "Ö" in text


def test_the_facts_of_the_form_are_printed(filled_request):
    text = flat(pdf_text(render(filled_request)))

    assert "Datum 2026-11-02" in text
    assert "Ansvarig kommun Köping" in text
    assert "Handläggare Åsa Öhrström" in text
    assert "0221-250 00" in text
    assert f"Referens {filled_request.case.reference}" in text
    assert "Till Sala" in text
    assert "Svar senast 2026-11-23" in text
    assert "Den enskilde är Kvinna" in text
    assert "Ny partner ingår Nej" in text
    assert "Medföljande barn Inga" in text
    assert "Socialtjänsten" in text


def test_the_children_are_listed_by_age_only(filled_request):
    ChildFactory(case=filled_request.case, age=7)
    ChildFactory(case=filled_request.case, age=12)

    assert "Medföljande barn 12 år, 7 år" in flat(pdf_text(render(filled_request)))


def test_guiding_questions_appear_only_under_the_sections_left_empty(make_request):
    form = dict(FILLED_FORM, housing="", economy="   \n ", children="")
    text = pdf_text(render(make_request(form)))

    for section, guidance in SECTION_GUIDANCE.items():
        if guidance is None:
            continue
        if section in (RequestFormSection.HOUSING, RequestFormSection.ECONOMY, RequestFormSection.CHILDREN):
            assert compact(guidance) in compact(text), section
        else:
            assert compact(guidance) not in compact(text), section
    assert text.count("Inte ifyllt.") == 3
    assert compact(FILLED_FORM["housing"]) not in compact(text)


def test_an_empty_form_shows_every_guiding_question(make_request):
    text = pdf_text(render(make_request({})))

    for guidance in SECTION_GUIDANCE.values():
        if guidance is not None:
            assert compact(guidance) in compact(text)
    assert text.count("Inte ifyllt.") == len(RequestFormSection)


def test_a_form_long_enough_for_two_pages_is_numbered_sida_n_av_2(make_request):
    long_text = "Den enskilde beskriver en lång historia av hot och våld från förövarens släkt på orten. " * 20
    pdf = render(make_request(dict(FILLED_FORM, placement=long_text)))
    pages = pdf_text(pdf).split("\f")[:-1]

    assert len(pages) == 2
    assert "Sida 1 av 2" in flat(pages[0])
    assert "Sida 2 av 2" in flat(pages[1])
    assert "Sida 1 av 2" not in flat(pages[1])
    # From page 2 on, a loose fax page still names its document and case.
    assert "Förfrågningsunderlag" in pages[1]


HOSTILE_TEXT = {
    "applicant": '<img src="http://example.org/pixel.png"> <script>alert(1)</script> Åsa',
    "placement": "file:///etc/passwd och <link rel=stylesheet href=file:///etc/passwd>",
    "authorities": 'body { background: url("https://example.org/x.png") } @import url(http://example.org/a.css);',
    "housing": "<style>@font-face{src:url(https://example.org/f.woff2)}</style><object data=https://example.org/>",
    "other": "</p></div><h1>Falsk rubrik</h1><a href='https://example.org/'>länk</a>",
}


def test_hostile_text_is_printed_as_text_and_fetches_nothing(make_request, fetch_log, no_network):
    pdf = render(make_request(HOSTILE_TEXT))
    text = flat(pdf_text(pdf))

    assert '<img src="http://example.org/pixel.png">' in text
    assert "<script>alert(1)</script> Åsa" in text
    assert "file:///etc/passwd" in text
    assert 'url("https://example.org/x.png")' in text
    assert "<h1>Falsk rubrik</h1>" in text
    assert {url.removeprefix(STATIC_BASE_URL) for url, _ok in fetch_log} <= STATIC_FILES_OF_A_DOCUMENT
    assert all(ok for _url, ok in fetch_log)
    assert no_network == []
    assert b"/URI" not in pdf  # no link annotation was made from the text


def test_an_erased_case_says_so(filled_request):
    from django.utils import timezone

    filled_request.case.erased_at = timezone.now()
    filled_request.form = {}

    assert "Fritexten i ärendet har gallrats." in flat(pdf_text(render(filled_request)))


@pytest.mark.parametrize("value", [None, 42, ["lista"]])
def test_odd_values_in_the_frozen_form_do_not_break_the_paper(make_request, value):
    text = flat(pdf_text(render(make_request({"applicant": value}))))

    assert str(RequestFormSection.APPLICANT.label) in text
