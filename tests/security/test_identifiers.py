"""Free text refuses identity numbers, phone numbers, e-mail and street addresses; plain prose passes."""

import time

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given, settings
from hypothesis import strategies as st

from lanskompott.identifiers import (
    COORDINATION_NUMBER,
    EMAIL_ADDRESS,
    MASK,
    PERSONAL_IDENTITY_NUMBER,
    PHONE_NUMBER,
    STREET_ADDRESS,
    find_identifiers,
    refuse_identifiers,
    scrub,
)
from tests.security.strategies import (
    any_text,
    clean_text,
    context,
    identity_numbers,
    phone_numbers,
    set_off,
    street_addresses,
)

MANY = settings(max_examples=1000, deadline=None)


@MANY
@given(number=identity_numbers(), before=any_text, after=any_text, sep1=set_off, sep2=set_off)
def test_valid_identity_numbers_in_random_text_are_refused(number, before, after, sep1, sep2):
    text, is_coordination = number
    embedded = f"{before}{sep1}{text}{sep2}{after}"
    with pytest.raises(ValidationError) as caught:
        refuse_identifiers(embedded)
    assert caught.value.code == "identifier"
    expected = COORDINATION_NUMBER if is_coordination else PERSONAL_IDENTITY_NUMBER
    assert expected in find_identifiers(embedded)
    assert text not in scrub(embedded)


@MANY
@given(number=identity_numbers(coordination=True), before=any_text, sep=set_off)
def test_coordination_numbers_are_named_as_such(number, before, sep):
    text, _ = number
    assert COORDINATION_NUMBER in find_identifiers(f"{before}{sep}{text}")
    with pytest.raises(ValidationError) as caught:
        refuse_identifiers(text)
    assert "samordningsnummer" in caught.value.messages[0]


@MANY
@given(phone=phone_numbers(), before=context, after=context)
def test_phone_numbers_in_text_are_refused(phone, before, after):
    assert PHONE_NUMBER in find_identifiers(f"{before} ring {phone} eller {after}")


@MANY
@given(email=st.emails(), before=context)
def test_email_addresses_are_refused(email, before):
    assert EMAIL_ADDRESS in find_identifiers(f"{before} {email} ")


@MANY
@given(address=street_addresses(), before=context, after=context)
def test_street_addresses_in_text_are_refused(address, before, after):
    assert STREET_ADDRESS in find_identifiers(f"{before} bor på {address}. {after}")


@MANY
@given(text=clean_text)
def test_identifier_free_text_passes(text):
    refuse_identifiers(text)
    assert scrub(text) == text


@pytest.mark.parametrize(
    "text",
    [
        "850215-1239 är hennes nummer",
        "19850215-1239",
        "198502151239",
        "8502151239",
        "850215+1239",
        "850215 1239",
        "pnr:8502151239",
    ],
)
def test_written_forms_of_one_number(text):
    assert find_identifiers(text) == [PERSONAL_IDENTITY_NUMBER]


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Ring 070-123 45 67 efter kl 9", PHONE_NUMBER),
        ("+46 70 123 45 67", PHONE_NUMBER),
        ("0046 8 123 456 78", PHONE_NUMBER),
        ("(021) 12 34 56", PHONE_NUMBER),
        ("0221-123 45", PHONE_NUMBER),
        ("+46 (0)70-123 45 67", PHONE_NUMBER),
        ("skriv till anna.svensson@example.se", EMAIL_ADDRESS),
        ("Hon bor på Storgatan 12 B", STREET_ADDRESS),
        ("Lilla Nygatan 5, lgh 1102", STREET_ADDRESS),
        ("731 30 Köping", STREET_ADDRESS),
        ("SE-733 30 Sala", STREET_ADDRESS),
        ("Kungsvägen 3", STREET_ADDRESS),
    ],
)
def test_other_identifiers(text, kind):
    assert kind in find_identifiers(text)


@pytest.mark.parametrize(
    "text",
    [
        "Flytten planeras till 2026-03-01.",
        "Hyran är 12 500 kr i månaden, depositionen 1 250 000 kr.",
        "Ärende K7QM-3XFD, omgång 2.",
        "Hon har två barn (7 och 12 år) och behöver stöd från socialtjänsten.",
        "Kommunens organisationsnummer 212000-2080.",
        "Flyttplan 2 och mötet i parken 3 gånger.",
        "Budget 1 050 000 000 kr",
        "Skulden är 15000 Kronor hos 12500 Kronofogden.",
        "Barnen är 3 och 7 år; hyran 8 500 kr/mån; mötet kl 08.30 den 12/3.",
        "Mötet 01.03.2026 kl. 09.30–11.00",
        "850215-1234",  # the check digit is wrong: not an identity number
    ],
)
def test_ordinary_text_passes(text):
    refuse_identifiers(text)


def test_message_names_every_kind_found():
    with pytest.raises(ValidationError) as caught:
        refuse_identifiers("8502151239, 070-123 45 67, a@b.se")
    message = caught.value.messages[0]
    assert "personnummer" in message
    assert "telefonnummer" in message
    assert "e-postadress" in message


def test_refuse_walks_json_values():
    refuse_identifiers({"applicant": "Kvinna 34 år", "other": ""})
    with pytest.raises(ValidationError):
        refuse_identifiers({"applicant": "Kvinna 34 år", "other": "pnr 8502151239"})


def test_scrub_masks_identity_numbers_even_with_a_wrong_check_digit():
    assert scrub("A 850215-1234 och 19850215-1239.") == f"A {MASK} och {MASK}."
    assert scrub("070-123 45 67") == "070-123 45 67"
    assert scrub("") == ""


@pytest.mark.parametrize(
    "text",
    ["a" * 100_000, "1" * 100_000, "a." * 50_000 + "@", "Storgatan" * 10_000 + " 1", "a@" + "b." * 50_000],
)
def test_long_input_is_checked_in_linear_time(text):
    """A long field must not make the check crawl (no pattern rescans a long run once per character)."""
    started = time.perf_counter()
    find_identifiers(text)
    scrub(text)
    assert time.perf_counter() - started < 1
