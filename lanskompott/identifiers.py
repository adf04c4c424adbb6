"""Find what could identify a person in free text, so that it is never stored.

The app must not hold names, personal identity numbers, addresses or phone numbers of the
person in hiding. Every free-text field runs ``refuse_identifiers``; logs and error reports
run ``scrub``. The rules lean towards refusing: an officer can always rephrase, a stored
identity number cannot be taken back.

Personal identity numbers (personnummer) and coordination numbers (samordningsnummer):
``YYMMDD-NNNC`` or ``YYYYMMDDNNNC``, the separator ``-``, ``+`` (100 years or older), a space
or none; the last digit is the Luhn check digit of the ten-digit form; a coordination number
adds 60 to the day.
"""

import calendar
import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

PERSONAL_IDENTITY_NUMBER = "personal_identity_number"
COORDINATION_NUMBER = "coordination_number"
PHONE_NUMBER = "phone_number"
EMAIL_ADDRESS = "email_address"
STREET_ADDRESS = "street_address"

# In the order a message names them.
KIND_LABELS = {
    PERSONAL_IDENTITY_NUMBER: _("ett personnummer"),
    COORDINATION_NUMBER: _("ett samordningsnummer"),
    PHONE_NUMBER: _("ett telefonnummer"),
    EMAIL_ADDRESS: _("en e-postadress"),
    STREET_ADDRESS: _("en adress"),
}

# Century (optional), year, month, day, separator, birth number, check digit. Digits glued to
# letters still count ("pnr8502151234"); digits glued to more digits do not.
_IDENTITY_NUMBER = re.compile(
    r"(?<!\d)(?P<century>\d{2})?(?P<year>\d{2})(?P<month>\d{2})(?P<day>\d{2})"
    r"(?P<sep>[ \u00a0]?[-+\u2010-\u2013][ \u00a0]?|[ \u00a0])?(?P<serial>\d{3})(?P<check>\d)(?!\d)"
)

# A phone number: +46 / 0046 with the area code's leading zero dropped (or written as "(0)"),
# or a national number starting with 0; then 7-9 more digits in all, with spaces, hyphens or a
# closing parenthesis between them. Not after a digit-and-separator, so that parts of long
# amounts ("1 050 000 000 kr") or dates ("2026-03-01") are not taken for one.
_SEP = r"[ \u00a0\-\u2010-\u2013)]{0,4}"
_PHONE_NUMBER = re.compile(
    r"(?<![\d+\-.,/\u2010-\u2013])(?<!\d )(?<!\d\u00a0)"
    r"(?:"
    r"(?:\+|\b00)[ \u00a0]?46" + _SEP + r"(?:\(0\)" + _SEP + r")?[1-9]"
    r"|\(?0[1-9]"
    r")"
    r"(?:" + _SEP + r"\d){6,8}(?![\d])"
)

# The local part starts where a run of its characters starts (the look-behind), so that a long run
# without an @ is scanned once, not once per character.
_LOCAL = r"[\w.!#$%&'*+/=?^`{|}~-]"
_EMAIL_ADDRESS = re.compile(
    rf"(?<!{_LOCAL}){_LOCAL}+\s?(?:@|\(at\)|\[at\])\s?[\w-]+(?:\.[\w-]+)*\.[a-zA-Z]{{2,}}", re.UNICODE
)

# Street name + number: "Storgatan 12", "Kungsvägen 3 B", "Lilla Nygatan 5, lgh 1102".
_STREET_SUFFIXES = (
    "gatan|gata|vägen|väg|gränden|gränd|stigen|stig|backen|backe|allén|allé|torget|torg|leden|"
    "esplanaden|kajen|promenaden|stråket|slingan"
)
_STREET = re.compile(
    r"\b[A-Za-zÅÄÖÉÜåäöéü]{2,}(?:" + _STREET_SUFFIXES + r")\s+\d{1,4}(?:\s?[A-Za-z])?\b",
    re.IGNORECASE,
)
# A postcode followed by a town: "123 45 Köping", "SE-123 45 Sala", "12345 Sala" (not "12500 Kronor").
_POSTCODE = re.compile(
    r"(?<![\d\-])(?:SE-?\s?)?[1-9]\d{2}[ \u00a0]?\d{2}(?!\d)[ \u00a0]+"
    r"(?!(?:Kr|Kronor|Kronofogden|SEK|Euro|EUR|Dollar|USD)\b)[A-ZÅÄÖ][a-zåäöé]+"
)


def luhn_ok(digits: str) -> bool:
    """Return whether the last digit of ``digits`` is its Luhn check digit."""
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char)
        if index % 2 == 1:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


def _date_exists(years: list[int], month: int, day: int) -> bool:
    if not 1 <= month <= 12 or day < 1:
        return False
    return any(day <= calendar.monthrange(year, month)[1] for year in years)


def _identity_kind(match: re.Match, *, need_check_digit: bool = True) -> str | None:
    """Return the kind of identity number ``match`` is, or None if it is not one."""
    century = match.group("century")
    yy = int(match.group("year"))
    if century is not None:
        if century not in ("18", "19", "20"):
            return None
        years = [int(century) * 100 + yy]
    else:
        # The century is unknown; a date that exists in either of the two likely ones counts.
        years = [1900 + yy, 2000 + yy, 1800 + yy]
    month = int(match.group("month"))
    day = int(match.group("day"))
    kind = PERSONAL_IDENTITY_NUMBER
    if day > 60:
        day -= 60
        kind = COORDINATION_NUMBER
    if not _date_exists(years, month, day):
        return None
    ten_digits = match.group("year") + match.group("month") + match.group("day") + match.group("serial")
    if need_check_digit and not luhn_ok(ten_digits + match.group("check")):
        return None
    return kind


def _identity_numbers(text: str, *, need_check_digit: bool = True):
    """Yield ``(match, kind)`` for every identity number in ``text``, overlapping candidates included."""
    position = 0
    while True:
        match = _IDENTITY_NUMBER.search(text, position)
        if match is None:
            return
        kind = _identity_kind(match, need_check_digit=need_check_digit)
        if kind is not None:
            yield match, kind
            position = match.end()
        else:
            position = match.start() + 1


def find_identifiers(text: str) -> list[str]:
    """Return the kinds of identifying data found in ``text``, each once, in the order of KIND_LABELS."""
    if not text:
        return []
    found = {kind for _match, kind in _identity_numbers(text)}
    if _PHONE_NUMBER.search(text):
        found.add(PHONE_NUMBER)
    if _EMAIL_ADDRESS.search(text):
        found.add(EMAIL_ADDRESS)
    if _STREET.search(text) or _POSTCODE.search(text):
        found.add(STREET_ADDRESS)
    return [kind for kind in KIND_LABELS if kind in found]


def _join(labels: list[str]) -> str:
    labels = [str(label) for label in labels]
    if len(labels) == 1:
        return labels[0]
    return ", ".join(labels[:-1]) + " " + str(_("och")) + " " + labels[-1]


def refuse_identifiers(value) -> None:
    """Validate that ``value`` holds no identity number, phone number, e-mail address or street address.

    Raise a ValidationError in Swedish that names what was found; the form shows it at the field.
    """
    if value is None:
        return
    if isinstance(value, dict):
        for item in value.values():
            refuse_identifiers(item)
        return
    if isinstance(value, list | tuple):
        for item in value:
            refuse_identifiers(item)
        return
    kinds = find_identifiers(str(value))
    if kinds:
        raise ValidationError(
            _(
                "Texten innehåller %(found)s. Skriv inga uppgifter som kan identifiera eller hitta "
                "den enskilde – ta bort dem och försök igen."
            ),
            code="identifier",
            params={"found": _join([KIND_LABELS[kind] for kind in kinds])},
        )


class FreeTextField(forms.CharField):
    """A free-text form field: refuses identifying data with a message that names the field.

    ``refuse_identifiers`` stays among the validators; a refusal is reworded here with the field's label,
    so that the error summary at the top of a long form says which field holds the number.
    """

    def __init__(self, *args, validators=(), **kwargs) -> None:
        validators = list(validators)
        if refuse_identifiers not in validators:
            validators.append(refuse_identifiers)
        super().__init__(*args, validators=validators, **kwargs)
        self.free_text = True

    def run_validators(self, value) -> None:
        try:
            super().run_validators(value)
        except ValidationError as error:
            raise ValidationError([self._name_the_field(item) for item in error.error_list]) from error

    def _name_the_field(self, error: ValidationError) -> ValidationError:
        if error.code != "identifier" or not self.label:
            return error
        return ValidationError(
            _(
                "Fältet ”%(field)s” innehåller %(found)s. Skriv inga uppgifter som kan identifiera eller hitta "
                "den enskilde – ta bort dem och försök igen."
            ),
            code="identifier",
            params={"field": self.label, "found": error.params["found"]},
        )


MASK = "[personnummer borttaget]"


def scrub(text: str) -> str:
    """Return ``text`` with every identity or coordination number masked, for logs and error reports.

    Masks numbers with a wrong check digit too: a mistyped number still points at a person.
    """
    if not text:
        return text
    parts = []
    position = 0
    for match, _kind in _identity_numbers(text, need_check_digit=False):
        parts.append(text[position : match.start()])
        parts.append(MASK)
        position = match.end()
    if not parts:
        return text
    parts.append(text[position:])
    return "".join(parts)
