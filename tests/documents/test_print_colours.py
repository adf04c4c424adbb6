"""Fit for fax: every page is black (or a dark grey) on white, nothing coloured, no background; type large enough.

How the pixels are checked, and why it is sound:

1. Rendered *with* anti-aliasing (as a viewer or printer shows it), a pixel at the edge of a black
   glyph is a blend of black and white, so it can be any grey, but a grey is still R = G = B. Any
   colour anywhere, even a thin coloured line, gives a pixel whose channels differ. So: every pixel's
   channel spread (max − min) must be within a tolerance of 3 for rounding.
2. Rendered *without* anti-aliasing (``pdftoppm -aa no -aaVector no``), nothing is blended: every
   pixel is either the white page or exactly a colour the document painted. So the lightest painted
   grey can be read off directly: every pixel that is not white must have a luminance of at most
   0.4 × 255 (≈ #666, i.e. at least 60 % grey). A light-grey text, line or background fails here.
3. A dark background would pass (2), so the share of non-white pixels must stay small (text on paper).

The last two tests show the check catches a light grey and a colour.
"""

import io

import pytest
from django.test import override_settings
from PIL import Image
from pypdf import PdfReader

from cases.documents import decision_letter_context, move_plan_context, request_form_context
from lanskompott.pdf import render_pdf
from tests.documents.conftest import FILLED_FORM, compact, pdf_page_image, pdf_text, text_sizes

SPREAD_TOLERANCE = 3
DARKEST_ALLOWED_LIGHTNESS = 0.4 * 255  # #666 is 102
MAX_INK_SHARE = 0.25


def luminance(r: int, g: int, b: int) -> float:
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def coloured_pixels(image: Image.Image) -> int:
    return sum(count for count, (r, g, b) in image.getcolors(1 << 24) if max(r, g, b) - min(r, g, b) > SPREAD_TOLERANCE)


def too_light_painted_pixels(image: Image.Image) -> int:
    return sum(
        count
        for count, rgb in image.getcolors(1 << 24)
        if rgb != (255, 255, 255) and luminance(*rgb) > DARKEST_ALLOWED_LIGHTNESS
    )


def ink_share(image: Image.Image) -> float:
    colours = image.getcolors(1 << 24)
    white = sum(count for count, rgb in colours if rgb == (255, 255, 255))
    return 1 - white / (image.width * image.height)


def assert_fit_for_fax(pdf: bytes) -> None:
    pages = len(pdf_text(pdf).split("\f")) - 1
    for page in range(1, pages + 1):
        smooth = pdf_page_image(pdf, page=page, antialias=True)
        sharp = pdf_page_image(pdf, page=page, antialias=False)
        assert coloured_pixels(smooth) == 0, f"page {page} has coloured pixels"
        assert too_light_painted_pixels(sharp) == 0, f"page {page} paints a grey lighter than #666"
        assert 0.005 < ink_share(sharp) < MAX_INK_SHARE, f"page {page}: blank or a background"


@pytest.fixture
def documents(make_request, accepted_request, move_plan):
    long_form = dict(FILLED_FORM, placement="Hot och våld under många år. " * 60, children="")
    return {
        "request_form": ("documents/request_form.html", request_form_context(make_request(long_form))),
        "decision_letter": ("documents/decision_letter.html", decision_letter_context(accepted_request)),
        "move_plan": ("documents/move_plan.html", move_plan_context(move_plan)),
    }


@pytest.mark.parametrize("name", ["request_form", "decision_letter", "move_plan"])
def test_every_page_is_black_on_white(documents, name):
    template_name, context = documents[name]
    pdf = render_pdf(template_name=template_name, context=context, title="Prov")

    assert_fit_for_fax(pdf)


@pytest.mark.parametrize("name", ["request_form", "decision_letter", "move_plan"])
def test_body_text_is_at_least_10_pt_and_only_the_guiding_questions_are_smaller(documents, name):
    template_name, context = documents[name]
    pdf = render_pdf(template_name=template_name, context=context, title="Prov")
    guidance = compact(" ".join(str(section["guidance"]) for section in context.get("sections", [])))

    sizes = text_sizes(pdf)
    assert sizes
    assert min(size for size, _text in sizes) >= 9
    for size, text in sizes:
        if size < 10:
            assert compact(text) in guidance, (size, text)
    assert any(size == 11 for size, _text in sizes)  # the body


def colour_template(style: str) -> list[dict]:
    html = (
        '<!DOCTYPE html><html lang="sv"><head><style>p { font-size: 24pt; ' + style + " }</style></head>"
        "<body><p>Ärende med åäö och en lång rad text som fyller sidan.</p></body></html>"
    )
    return [
        {
            "BACKEND": "django.template.backends.django.DjangoTemplates",
            "OPTIONS": {"loaders": [("django.template.loaders.locmem.Loader", {"colour.html": html})]},
        }
    ]


def test_the_check_catches_a_light_grey():
    with override_settings(TEMPLATES=colour_template("color: #999 !important;")):
        pdf = render_pdf(template_name="colour.html", context={}, title="Prov")

    assert too_light_painted_pixels(pdf_page_image(pdf, antialias=False)) > 0
    assert coloured_pixels(pdf_page_image(pdf)) == 0


def test_the_check_catches_a_colour():
    with override_settings(TEMPLATES=colour_template("color: #1f4e79 !important;")):
        pdf = render_pdf(template_name="colour.html", context={}, title="Prov")

    assert coloured_pixels(pdf_page_image(pdf)) > 0


@pytest.mark.parametrize("name", ["request_form", "decision_letter", "move_plan"])
def test_nothing_on_the_paper_is_a_link(documents, name):
    """On paper a link cannot be followed: no document carries one (every fact is printed as text)."""
    template_name, context = documents[name]
    pdf = render_pdf(template_name=template_name, context=context, title="Prov")

    for page in PdfReader(io.BytesIO(pdf)).pages:
        annotations = [annotation.get_object() for annotation in page.get("/Annots", [])]
        assert [a for a in annotations if a.get("/Subtype") == "/Link"] == []
    assert "http" not in pdf_text(pdf)
