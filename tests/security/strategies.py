"""Hypothesis strategies: valid Swedish identity numbers, phone numbers and identifier-free text."""

import datetime

from hypothesis import strategies as st

from cases.models import new_reference
from lanskompott.identifiers import luhn_ok

SEPARATORS = ["", "-", "+", " "]


def check_digit(nine_digits: str) -> str:
    """Return the Luhn check digit that completes ``nine_digits``."""
    return next(str(digit) for digit in range(10) if luhn_ok(nine_digits + str(digit)))


@st.composite
def identity_numbers(draw, *, coordination: bool | None = None) -> tuple[str, bool]:
    """Return ``(text, is_coordination_number)``: a valid number in one of its written forms."""
    born = draw(st.dates(min_value=datetime.date(1890, 1, 1), max_value=datetime.date(2026, 12, 31)))
    is_coordination = draw(st.booleans()) if coordination is None else coordination
    day = born.day + (60 if is_coordination else 0)
    serial = draw(st.integers(min_value=0, max_value=999))
    nine = f"{born:%y%m}{day:02d}{serial:03d}"
    number = nine + check_digit(nine)
    separator = draw(st.sampled_from(SEPARATORS))
    twelve_digits = draw(st.booleans())
    prefix = f"{born.year // 100}" if twelve_digits else ""
    return f"{prefix}{number[:6]}{separator}{number[6:]}", is_coordination


@st.composite
def phone_numbers(draw) -> str:
    """Return a Swedish phone number as people write them."""
    kind = draw(st.sampled_from(["mobile", "stockholm", "area3", "area4"]))
    if kind == "mobile":
        area, rest = "7" + draw(st.sampled_from("02369")), draw(st.text("0123456789", min_size=7, max_size=7))
    elif kind == "stockholm":
        area, rest = "8", draw(st.text("0123456789", min_size=6, max_size=8))
    elif kind == "area3":
        area = draw(st.sampled_from(["21", "31", "40", "90", "13", "19"]))
        rest = draw(st.text("0123456789", min_size=5, max_size=7))
    else:
        area = draw(st.sampled_from(["221", "224", "223", "222", "586", "920"]))
        rest = draw(st.text("0123456789", min_size=5, max_size=6))
    separator = draw(st.sampled_from(["", " ", "-", " - "]))
    grouped = " ".join(rest[i : i + 2] for i in range(0, len(rest), 2)) if draw(st.booleans()) else rest
    prefix = draw(st.sampled_from(["0", "+46 ", "+46", "0046 ", "+46 (0)", "(0"]))
    if prefix == "(0":
        return f"(0{area}){separator or ' '}{grouped}"
    return f"{prefix}{area}{separator}{grouped}"


WORDS = [
    "Hon",
    "han",
    "de",
    "barnen",
    "behöver",
    "stöd",
    "boende",
    "flytt",
    "skola",
    "förskola",
    "kommun",
    "handläggare",
    "förfrågan",
    "möte",
    "planering",
    "ekonomi",
    "arbete",
    "säkerhet",
    "vecka",
    "månad",
    "år",
    "och",
    "i",
    "på",
    "med",
    "till",
    "från",
    "inte",
    "har",
    "är",
    "ska",
    "kan",
    "efter",
    "före",
    "samtal",
    "socialtjänsten",
    "mottagande",
    "överlämnande",
    "enheten",
    "insatser",
    "bistånd",
    "hyra",
    "lägenhet",
    "vuxen",
    "utredning",
    "riskbedömning",
    "polisen",
    "kontakt",
    "sfi",
    "Arbetsförmedlingen",
    "uppföljning",
    "juni",
    "mars",
    "december",
    "tre",
    "fyra",
    "sju",
    "barn",
    "ålder",
    "flyttplan",
    "kostnad",
    "betalas",
    "av",
    "ansvar",
    "överenskommelse",
    "Skatteverket",
    "beslut",
]
MONTHS = [
    "januari",
    "februari",
    "mars",
    "april",
    "maj",
    "juni",
    "juli",
    "augusti",
    "september",
    "oktober",
    "november",
    "december",
]


@st.composite
def amounts(draw) -> str:
    value = draw(st.integers(min_value=0, max_value=9_999_999))
    text = f"{value:,}".replace(",", draw(st.sampled_from([" ", "\u00a0", ""])))
    return draw(st.sampled_from([f"{text} kr", f"{text}:-", f"{text} kronor", f"{text},50 kr"]))


@st.composite
def dates(draw) -> str:
    day = draw(st.dates(min_value=datetime.date(1950, 1, 1), max_value=datetime.date(2040, 12, 31)))
    return draw(st.sampled_from([day.isoformat(), f"{day.day} {MONTHS[day.month - 1]} {day.year}", f"{day:%d/%m}"]))


references = st.builds(new_reference)
# Small numbers only: "731 30" followed by a capitalised word reads as a postcode and town, rightly refused.
tokens = st.one_of(st.sampled_from(WORDS), dates(), amounts(), references, st.integers(0, 99).map(str))


punctuation = st.sampled_from([" ", " ", " ", ", ", ". ", "\n", " – ", ": "])


def prose(max_tokens: int) -> st.SearchStrategy[str]:
    """Return prose made of words, dates, amounts, case references and small numbers."""
    return st.builds(
        lambda first, rest: first + "".join(mark + token for mark, token in rest),
        tokens,
        st.lists(st.tuples(punctuation, tokens), max_size=max_tokens - 1),
    )


clean_text = prose(30)
# Context around a generated identifier.
context = prose(8)


# Any text at all, without surrogates; the identifier is always set off by a non-digit.
any_text = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=60)
set_off = st.sampled_from([" ", "\n", ": ", "(", " pnr ", "\t", ", "])


@st.composite
def street_addresses(draw) -> str:
    """Return a Swedish street address, with or without postcode and town."""
    first = draw(st.sampled_from(["Stor", "Drottning", "Kungs", "Ny", "Skol", "Kyrk", "Sjö", "Björk", "Ekbacke"]))
    suffix = draw(st.sampled_from(["gatan", "vägen", "gränd", "stigen", "backen", "allén", "torget", "leden"]))
    number = draw(st.integers(min_value=1, max_value=250))
    letter = draw(st.sampled_from(["", " A", "B"]))
    street = f"{first}{suffix} {number}{letter}"
    postcode = draw(st.integers(min_value=100, max_value=984)), draw(st.integers(min_value=0, max_value=99))
    town = draw(st.sampled_from(["Köping", "Sala", "Västerås", "Arboga", "Fagersta", "Ödeshög"]))
    return draw(
        st.sampled_from(
            [street, f"{street}, {postcode[0]} {postcode[1]:02d} {town}", f"{postcode[0]}{postcode[1]:02d} {town}"]
        )
    )
