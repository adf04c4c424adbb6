"""Fixtures for the PDF documents: a sent request, its decisions, a move plan; helpers to read PDFs."""

import datetime
import io
import subprocess
from decimal import Decimal

import pytest
from PIL import Image

from accounts.models import Role, Unit
from cases.models import CostItem, Request, UnitConsent
from lanskompott import pdf as pdf_module
from tests.conftest import municipality
from tests.factories import CaseFactory, DecisionFactory, MovePlanFactory, RequestFactory

SENT_AT = datetime.datetime(2026, 11, 2, 9, 30, tzinfo=datetime.UTC)

FILLED_FORM = {
    "applicant": "Kvinna 34 år, talar svenska och arabiska. Bor i dag på skyddat boende. Vill flytta snarast.",
    "placement": "Långvarigt våld i nära relation; riskbedömning med FREDA och SARA visar hög risk för upprepat våld.",
    "authorities": "Polisanmälan gjord. Kontaktförbud beslutat. Skyddade personuppgifter är sökta hos Skatteverket.",
    "interventions": "Stödsamtal på kvinnojour varannan vecka; behöver fortsatt öppenvårdsstöd efter flytten.",
    "housing": "Har stått i bostadskö i två år utan resultat. Önskar lägenhet i markplan. Har en äldre hund.",
    "economy": "Försörjningsstöd i dag. Skulder hos Kronofogden, behöver skuld- och budgetrådgivning.",
    "children": "Två barn, 7 och 12 år. Ensam vårdnad. Barnen är informerade och positiva till att börja i ny skola.",
    "municipality": "Önskar en mellanstor ort med god kollektivtrafik; förövarens släkt bor i länets södra del.",
    "other": "Den enskilde föredrar kontakt via handläggaren. Tolk behövs inte vid möten.",
}


@pytest.fixture
def officer_of_koping(make_user):
    return make_user(
        Role.OFFICER,
        "Köping",
        username="handlaggare_koping",
        first_name="Åsa",
        last_name="Öhrström",
        phone="0221-250 00",
        email="asa.ohrstrom@koping.example",
    )


@pytest.fixture
def make_request(officer_of_koping):
    """Return a function that makes a request from Köping to Sala with the given form sections."""

    def make(form: dict[str, str], **fields) -> Request:
        case = CaseFactory(
            sending_municipality=officer_of_koping.municipality, created_by=officer_of_koping, status="requesting"
        )
        return RequestFactory(
            case=case,
            recipient=municipality("Sala"),
            sent_at=SENT_AT,
            sent_by=officer_of_koping,
            reply_by=datetime.date(2026, 11, 23),
            form=form,
            **fields,
        )

    return make


@pytest.fixture
def filled_request(make_request) -> Request:
    return make_request(dict(FILLED_FORM))


@pytest.fixture
def supervisor_of_sala(make_user):
    return make_user(
        Role.SUPERVISOR, "Sala", username="arbetsledare_sala", first_name="Örjan", last_name="Ärlig", unit=Unit.ADULT
    )


@pytest.fixture
def accepted_request(filled_request, supervisor_of_sala) -> Request:
    filled_request.status = "accepted"
    filled_request.save(update_fields=["status"])
    decided_at = SENT_AT + datetime.timedelta(days=10)
    for unit in (Unit.ADULT, Unit.ECONOMIC_AID):
        UnitConsent.objects.create(
            request=filled_request, unit=unit, supervisor=supervisor_of_sala, consented_at=decided_at
        )
    DecisionFactory(request=filled_request, outcome="accept", decided_by=supervisor_of_sala, decided_at=decided_at)
    return filled_request


@pytest.fixture
def declined_request(filled_request, supervisor_of_sala) -> Request:
    filled_request.status = "declined"
    filled_request.save(update_fields=["status"])
    DecisionFactory(
        request=filled_request,
        outcome="decline",
        ground="insufficient_resources",
        motivation="Kommunens öppenvård för våldsutsatta är fullbelagd under våren; väntetiden är över ett år.",
        resources_description="Två socialsekreterare på våldsenheten, ingen egen kvinnojour, skyddat boende köps.",
        decided_by=supervisor_of_sala,
        decided_at=SENT_AT + datetime.timedelta(days=12),
    )
    return filled_request


@pytest.fixture
def move_plan(officer_of_koping):
    case = CaseFactory(
        sending_municipality=officer_of_koping.municipality,
        receiving_municipality=municipality("Sala"),
        created_by=officer_of_koping,
        status="agreed",
    )
    plan = MovePlanFactory(
        case=case,
        sending_checklist={"tax_agency": True, "moving_firm": True, "care_providers": False},
        receiving_checklist={"housing_company": True, "police": False},
        who_packs="Flyttfirma från annan ort packar; den enskilde packar personliga saker själv.",
        what_goes="Möbler följer med; barnsängar köps nya på den nya orten.",
        access_before_move="",
        protected_data_applied=True,
        protected_data_decided_on=datetime.date(2026, 12, 1),
        planned_move_date=datetime.date(2027, 1, 15),
    )
    CostItem.objects.create(move_plan=plan, description="Flyttfirma", amount=Decimal("18500.00"), payer="sending")
    CostItem.objects.create(move_plan=plan, description="Hemutrustning", amount=Decimal("7250.50"), payer="sending")
    CostItem.objects.create(move_plan=plan, description="Dubbla hyror i januari", amount=None, payer="sending")
    CostItem.objects.create(move_plan=plan, description="Möte med skolan", amount=Decimal("0"), payer="receiving")
    return plan


def pdf_text(pdf: bytes, *, layout: bool = False) -> str:
    """Return the text of ``pdf`` as poppler's pdftotext extracts it (pages separated by form feeds)."""
    args = ["pdftotext", "-enc", "UTF-8", *(["-layout"] if layout else []), "-", "-"]
    return subprocess.run(args, input=pdf, capture_output=True, check=True).stdout.decode("utf-8")


def flat(text: str) -> str:
    """Return ``text`` with every run of white space (line breaks of the layout) made one space."""
    return " ".join(text.split())


def compact(text: str) -> str:
    """Return ``text`` without any white space, to compare texts whatever the line breaks of the layout."""
    return "".join(text.split())


def text_sizes(pdf: bytes) -> list[tuple[float, str]]:
    """Return (size in points, text) of every piece of text on every page of ``pdf``."""
    from pypdf import PdfReader

    pieces: list[tuple[float, str]] = []

    def visit(text, cm, tm, font_dict, font_size):
        if text.strip():
            # WeasyPrint sets the size in the text matrix and the page's user-unit scale in the CTM.
            pieces.append((round(abs(font_size * tm[3] * cm[3]), 2), text.strip()))

    for page in PdfReader(io.BytesIO(pdf)).pages:
        page.extract_text(visitor_text=visit)
    return pieces


def pdf_page_image(pdf: bytes, *, page: int = 1, antialias: bool = True, dpi: int = 100) -> Image.Image:
    """Return one page of ``pdf`` rendered by poppler's pdftoppm as an RGB image."""
    aa = "yes" if antialias else "no"
    args = ["pdftoppm", "-png", "-r", str(dpi), "-f", str(page), "-l", str(page), "-aa", aa, "-aaVector", aa, "-"]
    png = subprocess.run(args, input=pdf, capture_output=True, check=True).stdout
    return Image.open(io.BytesIO(png)).convert("RGB")


@pytest.fixture
def fetch_log(monkeypatch):
    """Record every URL WeasyPrint asks the static-only fetcher for, and whether it was served."""
    log: list[tuple[str, bool]] = []
    original = pdf_module.StaticFilesOnlyFetcher.fetch

    def spy(self, url, headers=None):
        try:
            response = original(self, url, headers)
        except Exception:
            log.append((url, False))
            raise
        log.append((url, True))
        return response

    monkeypatch.setattr(pdf_module.StaticFilesOnlyFetcher, "fetch", spy)
    return log


@pytest.fixture
def no_network(monkeypatch):
    """Fail loudly (and record) any attempt to open a network connection or a URL with urllib."""
    import socket
    import urllib.request

    attempts: list[object] = []

    def refuse(*args, **kwargs):
        attempts.append(args)
        raise OSError("network access in a PDF rendering test")

    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(urllib.request.OpenerDirector, "open", refuse)
    return attempts
