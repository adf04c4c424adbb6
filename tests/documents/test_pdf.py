"""lanskompott.pdf: the static-only URL fetcher, the neutral metadata, the paper format."""

import io
import subprocess

import pytest
from django.test import override_settings
from pypdf import PdfReader

from lanskompott.pdf import STATIC_BASE_URL, RefusedURL, StaticFilesOnlyFetcher, render_pdf, static_path

# The only files a document may pull in.
STATIC_FILES_OF_A_DOCUMENT = {"pdf/pdf.css", "fonts/DejaVuSans.ttf", "fonts/DejaVuSans-Bold.ttf"}

HOSTILE_URLS = [
    "http://example.org/tracker.png",
    "https://example.org/style.css",
    "//example.org/x.png",
    "ftp://example.org/x.png",
    "file:///etc/passwd",
    "file://localhost/etc/passwd",
    "data:image/png;base64,iVBORw0KGgo=",
    "data:text/css,body{background:url(http://example.org/x)}",
    "javascript:alert(1)",
    "/etc/passwd",
    "pdf/pdf.css",
    STATIC_BASE_URL,
    STATIC_BASE_URL + "../../../../etc/passwd",
    STATIC_BASE_URL + "pdf/../../../etc/passwd.css",
    STATIC_BASE_URL + "%2e%2e/%2e%2e/etc/passwd.css",
    STATIC_BASE_URL + "pdf/%2e%2e/%2e%2e/lanskompott/settings.css",
    STATIC_BASE_URL + "pdf//pdf.css",
    STATIC_BASE_URL + "./pdf/pdf.css",
    STATIC_BASE_URL + "pdf\\..\\..\\etc\\passwd.css",
    STATIC_BASE_URL + "pdf/pdf.css%00.py",
    STATIC_BASE_URL + "pdf/pdf.css?v=1",
    STATIC_BASE_URL + "pdf/pdf.css#x",
    STATIC_BASE_URL + "fonts/DejaVu-LICENSE.txt",
    STATIC_BASE_URL + "pdf/missing.css",
    "https://static.invalid.example.org/pdf/pdf.css",
    "https://static.invalid@example.org/pdf/pdf.css",
    "https://static.invalid:443/pdf/pdf.css",
    "HTTPS://STATIC.INVALID/pdf/pdf.css",
]

HOSTILE_TEMPLATE = """<!DOCTYPE html>
<html lang="sv"><head>
<title>Länskompotten Västmanland – Anna Andersson</title>
<meta name="author" content="Anna Andersson">
<meta name="description" content="Länskompotten Västmanland">
<meta name="keywords" content="Länskompotten">
<meta name="generator" content="Länskompotten">
<meta name="network" content="Länskompotten Västmanland">
<link rel="stylesheet" href="https://example.org/remote.css">
<link rel="stylesheet" href="file:///etc/passwd">
<link rel="attachment" href="file:///etc/passwd" title="passwd">
<style>
@import url("http://example.org/imported.css");
@font-face { font-family: Evil; src: url("https://example.org/evil.woff2"), local("DejaVu Sans"); }
body { background: url("file:///etc/passwd"); }
p::after { content: url("data:image/svg+xml,<svg xmlns='http://www.w3.org/2000/svg'/>"); }
</style>
</head><body>
<p>Ett dokument med åäö.</p>
<img src="http://example.org/pixel.png" alt="">
<img src="file:///etc/hostname" alt="">
<img src="../../../../etc/passwd" alt="">
<img src="data:image/png;base64,{PIXEL}" alt="">
<object data="https://example.org/x.svg"></object>
<embed src="file:///etc/passwd">
<iframe src="https://example.org/"></iframe>
<svg xmlns="http://www.w3.org/2000/svg"><image href="https://example.org/x.png" width="10" height="10"/></svg>
</body></html>
"""

HOSTILE_TEMPLATE = HOSTILE_TEMPLATE.replace(
    "{PIXEL}", "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)

LOCMEM_TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "OPTIONS": {
            "loaders": [("django.template.loaders.locmem.Loader", {"hostile.html": HOSTILE_TEMPLATE})],
        },
    }
]


@pytest.mark.parametrize("url", HOSTILE_URLS)
def test_the_fetcher_refuses_every_url_that_is_not_a_static_file(url, no_network):
    with pytest.raises(RefusedURL):
        StaticFilesOnlyFetcher().fetch(url)
    assert no_network == []


@pytest.mark.parametrize("path", sorted(STATIC_FILES_OF_A_DOCUMENT))
def test_the_fetcher_serves_the_static_files_through_the_finders(path, no_network):
    response = StaticFilesOnlyFetcher().fetch(STATIC_BASE_URL + path)
    body = response.read()
    response.close()

    assert body[:4] in (b"\x00\x01\x00\x00", b"/* D")
    assert static_path(STATIC_BASE_URL + path) == path
    assert no_network == []


def test_the_stylesheet_is_served_as_css():
    response = StaticFilesOnlyFetcher().fetch(STATIC_BASE_URL + "pdf/pdf.css")
    assert response.content_type == "text/css"


@override_settings(TEMPLATES=LOCMEM_TEMPLATES)
def test_a_hostile_template_fetches_nothing_but_static_files(fetch_log, no_network):
    pdf = render_pdf(template_name="hostile.html", context={}, title="Prov")

    served = {url.removeprefix(STATIC_BASE_URL) for url, ok in fetch_log if ok}
    refused = [url for url, ok in fetch_log if not ok]
    assert served <= STATIC_FILES_OF_A_DOCUMENT
    assert all(url.startswith(STATIC_BASE_URL) for url, ok in fetch_log if ok)
    assert "https://example.org/remote.css" in refused
    assert "http://example.org/pixel.png" in refused
    assert "file:///etc/hostname" in refused
    assert no_network == []
    reader = PdfReader(io.BytesIO(pdf))
    assert reader.attachments == {}
    assert b"root:" not in pdf


@override_settings(TEMPLATES=LOCMEM_TEMPLATES)
def test_the_metadata_carries_only_a_neutral_title_whatever_the_template_says():
    pdf = render_pdf(template_name="hostile.html", context={}, title="Förfrågningsunderlag")

    reader = PdfReader(io.BytesIO(pdf))
    info = dict(reader.metadata)
    assert info["/Title"] == "Socialtjänsten – Förfrågningsunderlag"
    assert set(info) <= {"/Title", "/Producer", "/CreationDate", "/ModDate"}
    assert "Länskompott" not in str(info)
    assert "Anna" not in str(info)
    assert reader.xmp_metadata is None


@override_settings(PDF_DOCUMENT_ORGANISATION="Individ- och familjeomsorgen")
def test_the_title_names_the_configured_organisation(filled_request):
    from cases.documents import request_form_context

    pdf = render_pdf(
        template_name="documents/request_form.html",
        context=request_form_context(filled_request),
        title="Förfrågningsunderlag",
    )

    assert PdfReader(io.BytesIO(pdf)).metadata["/Title"] == "Individ- och familjeomsorgen – Förfrågningsunderlag"


def test_the_paper_is_a4_with_embedded_fonts_and_2_cm_margins(filled_request):
    from cases.documents import request_form_context

    pdf = render_pdf(
        template_name="documents/request_form.html",
        context=request_form_context(filled_request),
        title="Förfrågningsunderlag",
    )

    reader = PdfReader(io.BytesIO(pdf))
    assert reader.trailer["/Root"]["/MarkInfo"]["/Marked"]  # tagged for screen readers
    assert reader.trailer["/Root"]["/Lang"] == "sv"
    for page in reader.pages:
        assert round(float(page.mediabox.width)) == 595  # 210 mm
        assert round(float(page.mediabox.height)) == 842  # 297 mm
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descendant = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
            descriptor = descendant["/FontDescriptor"].get_object()
            assert any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")), font["/BaseFont"]
    # Every word lies inside the 2 cm side margins (margin boxes included).
    two_cm = 72 / 2.54 * 2
    bbox = subprocess.run(["pdftotext", "-bbox", "-", "-"], input=pdf, capture_output=True, check=True).stdout
    words = [line for line in bbox.decode().splitlines() if line.strip().startswith("<word")]
    assert words
    for line in words:
        attributes = dict(part.split("=") for part in line.split(">")[0].split()[1:])
        x_min, x_max = float(attributes["xMin"].strip('"')), float(attributes["xMax"].strip('"'))
        assert two_cm - 0.5 <= x_min and x_max <= 595.28 - two_cm + 0.5, line
