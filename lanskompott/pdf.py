"""Render PDF documents with WeasyPrint: paper that can be posted or faxed.

Every PDF of the app goes through ``render_pdf``. WeasyPrint may only read the app's own static files
(the stylesheet ``static/pdf/pdf.css`` and the fonts it names): ``StaticFilesOnlyFetcher`` resolves
them through the staticfiles finders and refuses every other URL, so text a user typed can never make
the server open a network connection or read a file outside the static folders.

The PDF's metadata is rebuilt from scratch: a neutral title (``settings.PDF_DOCUMENT_ORGANISATION`` and
the kind of document) and the language, nothing else. No author, no user name, no network name.
"""

import mimetypes
import posixpath
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import translation
from weasyprint import CSS, HTML
from weasyprint.pdf.metadata import DocumentMetadata
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

# A private origin for the static files. ".invalid" is reserved (RFC 6761) and never resolves; the
# fetcher below never opens a connection anyway. It exists so that WeasyPrint can resolve relative
# URLs (the stylesheet's "../fonts/…") the usual way; the fetcher maps its paths to static files.
STATIC_BASE_URL = "https://static.invalid/"
# The stylesheet every document gets: A4, 2 cm margins, black on white, embedded fonts.
BASE_STYLESHEET = "pdf/pdf.css"
# Only these kinds of static file may end up in a PDF.
ALLOWED_SUFFIXES = frozenset({".css", ".ttf", ".otf", ".woff", ".woff2", ".png", ".jpg", ".jpeg", ".svg"})


class RefusedURL(ValueError):
    """A URL that is not one of the app's own static files."""


def static_path(url: str) -> str:
    """Return the static path (``pdf/pdf.css``) that ``url`` names, or raise ``RefusedURL``.

    Only ``STATIC_BASE_URL`` + a plain relative path with an allowed suffix passes: no other
    scheme or host, no ``..``, no empty or ``.`` segments, no backslashes, no NUL bytes.
    """
    if not isinstance(url, str) or not url.startswith(STATIC_BASE_URL):
        raise RefusedURL(f"Not a static file of the app: {url[:80]!r}")
    # The prefix fixes the host; a query or fragment has no meaning for a static file.
    parts = urlsplit(url)
    if parts.query or parts.fragment:
        raise RefusedURL(f"Not a static file of the app: {url[:80]!r}")
    path = unquote(parts.path).removeprefix("/")
    segments = path.split("/")
    if (
        not path
        or "\\" in path
        or "\x00" in path
        or any(segment in ("", ".", "..") for segment in segments)
        or posixpath.normpath(path) != path
        or Path(path).suffix.lower() not in ALLOWED_SUFFIXES
    ):
        raise RefusedURL(f"Not a static file of the app: {url[:80]!r}")
    return path


class StaticFilesOnlyFetcher(URLFetcher):
    """A WeasyPrint URL fetcher that serves the app's static files and refuses everything else.

    ``http(s)://`` (other than the private static origin), ``file://``, ``data:`` and any other
    scheme raise ``RefusedURL``; WeasyPrint then leaves the resource out. Nothing is fetched over
    the network: ``fetch`` never calls the parent class, whose protocols are all disallowed besides.
    """

    def __init__(self) -> None:
        super().__init__(allowed_protocols=frozenset(), allow_redirects=False, fail_on_errors=False)

    def fetch(self, url: str, headers: dict | None = None) -> URLFetcherResponse:
        path = static_path(url)
        found = finders.find(path)
        if not found:
            raise RefusedURL(f"No such static file: {path!r}")
        content_type = mimetypes.guess_type(path)[0] or "application/octet-stream"
        return URLFetcherResponse(url, body=Path(found).read_bytes(), headers={"Content-Type": content_type})


def document_title(title: str) -> str:
    """Return the neutral title written into the PDF: the organisation and the kind of document."""
    return f"{settings.PDF_DOCUMENT_ORGANISATION} – {title}"


def render_pdf(*, template_name: str, context: dict, title: str) -> bytes:
    """Return the PDF of the Django template ``template_name`` rendered with ``context``.

    ``title`` is the kind of document ("Förfrågningsunderlag"); it becomes part of the PDF's title and
    is given to the template as ``document_title``. The template is rendered without an HTTP request,
    so no context processor (user, menu) can leak into the paper.
    """
    html = render_to_string(template_name, {**context, "document_title": title})
    fetcher = StaticFilesOnlyFetcher()
    font_config = FontConfiguration()
    stylesheet = CSS(url=STATIC_BASE_URL + BASE_STYLESHEET, url_fetcher=fetcher, font_config=font_config)
    document = HTML(string=html, base_url=STATIC_BASE_URL, url_fetcher=fetcher).render(
        stylesheets=[stylesheet], font_config=font_config
    )
    # Replace whatever the template declared (<meta name=author>, attachments, keywords…).
    document.metadata = DocumentMetadata(title=document_title(title), lang=translation.get_language())
    # Tagged PDF: headings, paragraphs and tables are announced by screen readers.
    return document.write_pdf(pdf_tags=True)
