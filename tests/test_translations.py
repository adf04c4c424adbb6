"""The English translation is complete, up to date and shown: no Swedish UI text once English is chosen.

Swedish is the source language; ``locale/en/LC_MESSAGES/django.po`` holds the English. Update it with
the makemessages command in ``MAKEMESSAGES`` below and translate every new entry.
"""

import re
import shutil
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import translation

from cases.forms import CollaborationForm
from tests.builders import build_sent_case, complete_preparation, create_case, fill_form
from tests.conftest import verified_client

PO_FILE = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES" / "django.po"
MAKEMESSAGES = {
    "locale": ["en"],
    "extensions": ["html", "txt", "py", "svg"],
    "no_location": True,
    "ignore_patterns": [".venv", "var", "node_modules", "tests", "benchmarks"],
    "verbosity": 0,
}


# --- a minimal .po reader -------------------------------------------------------------------------------------


@dataclass
class Entry:
    msgid: str = ""
    msgid_plural: str | None = None
    msgctxt: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    obsolete: bool = False

    @property
    def key(self) -> tuple[str | None, str, str | None]:
        return (self.msgctxt, self.msgid, self.msgid_plural)


_ESCAPES = {"n": "\n", "t": "\t", '"': '"', "\\": "\\", "r": "\r"}


def _unquote(text: str) -> str:
    text = text.strip()
    assert text.startswith('"') and text.endswith('"'), text
    return re.sub(r"\\(.)", lambda m: _ESCAPES[m.group(1)], text[1:-1])


def read_po(path: Path) -> list[Entry]:
    """Return the entries of a .po file (the header entry, msgid "", left out)."""
    entries: list[Entry] = []
    entry, target = None, None
    for line in path.read_text(encoding="utf-8").splitlines() + [""]:
        if line.startswith("#~"):
            continue
        if not line.strip():
            if entry is not None:
                entries.append(entry)
            entry, target = None, None
            continue
        if entry is None:
            entry = Entry()
        if line.startswith("#,"):
            entry.flags |= {flag.strip() for flag in line[2:].split(",")}
        elif line.startswith("#"):
            continue
        elif match := re.match(r"(msgctxt|msgid_plural|msgid|msgstr)(?:\[(\d+)\])?\s+(\".*\")$", line):
            keyword, index, value = match.group(1), match.group(2), _unquote(match.group(3))
            target = (keyword, int(index or 0))
            if keyword == "msgstr":
                entry.msgstr[target[1]] = value
            else:
                setattr(entry, keyword, value)
        elif line.startswith('"'):
            keyword, index = target
            if keyword == "msgstr":
                entry.msgstr[index] += _unquote(line)
            else:
                setattr(entry, keyword, getattr(entry, keyword) + _unquote(line))
        else:
            raise AssertionError(f"Cannot read this line of {path.name}: {line!r}")
    return [entry for entry in entries if entry.msgid]


# --- (a) every entry translated, none fuzzy ------------------------------------------------------------------


def test_every_entry_is_translated_and_none_is_fuzzy():
    entries = read_po(PO_FILE)
    assert len(entries) > 900
    fuzzy = [entry.msgid for entry in entries if "fuzzy" in entry.flags]
    assert fuzzy == [], "Fuzzy entries: translate them and remove the fuzzy flag"
    untranslated = [entry.msgid for entry in entries if not entry.msgstr or not all(entry.msgstr.values())]
    assert untranslated == []
    for entry in entries:
        expected_forms = [0, 1] if entry.msgid_plural is not None else [0]
        assert sorted(entry.msgstr) == expected_forms, entry.msgid


def test_the_reader_finds_what_is_missing(tmp_path):
    po = tmp_path / "django.po"
    po.write_text(
        'msgid ""\nmsgstr ""\n"Language: en\\n"\n\n'
        '#, fuzzy\nmsgid "Spara"\nmsgstr "Save"\n\n'
        'msgid ""\n"Lång "\n"text"\nmsgstr ""\n\n'
        'msgctxt "number of decisions"\nmsgid "Beslut"\nmsgstr "Decisions"\n\n'
        'msgid "%(n)s dag"\nmsgid_plural "%(n)s dagar"\nmsgstr[0] "%(n)s day"\nmsgstr[1] ""\n',
        encoding="utf-8",
    )
    entries = read_po(po)
    assert [entry.msgid for entry in entries] == ["Spara", "Lång text", "Beslut", "%(n)s dag"]
    assert entries[0].flags == {"fuzzy"}
    assert entries[1].msgstr == {0: ""}
    assert entries[2].msgctxt == "number of decisions"
    assert entries[3].msgstr == {0: "%(n)s day", 1: ""}


# --- (b) the .po file is up to date with the source --------------------------------------------------------


def test_the_po_file_has_every_string_of_the_source(tmp_path, settings, monkeypatch):
    """makemessages, run on a copy of the source with the committed file, finds nothing new and changes no entry.

    makemessages writes to the locale folder above each source file, so it runs on a copy of the tree.
    """
    source = Path(settings.BASE_DIR)
    tree = tmp_path / "tree"
    shutil.copytree(
        source,
        tree,
        ignore=shutil.ignore_patterns(*MAKEMESSAGES["ignore_patterns"], ".git", "static", "*.mo", "__pycache__"),
    )
    copy = tree / "locale" / "en" / "LC_MESSAGES" / "django.po"
    settings.LOCALE_PATHS = [str(tree / "locale")]
    committed_bytes = PO_FILE.read_bytes()
    monkeypatch.chdir(tree)
    call_command("makemessages", **MAKEMESSAGES)
    assert PO_FILE.read_bytes() == committed_bytes, "makemessages must not touch the committed file"

    committed = {entry.key for entry in read_po(PO_FILE)}
    extracted = read_po(copy)
    assert len(extracted) > 900
    missing = [entry.msgid for entry in extracted if entry.key not in committed]
    assert missing == [], "Run makemessages (see MAKEMESSAGES in this file) and translate the new entries"
    changed = [entry.msgid for entry in extracted if "fuzzy" in entry.flags or not all(entry.msgstr.values())]
    assert changed == []


# --- (c) placeholders kept -----------------------------------------------------------------------------------

PLACEHOLDER = re.compile(r"%(?:\((\w+)\))?[-#0 +]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa%]|\{\w*\}")


def placeholders(text: str) -> list[str]:
    return sorted(match.group(0) for match in PLACEHOLDER.finditer(text) if match.group(0) != "%%")


def test_placeholders_in_every_translation_match_the_source():
    wrong = []
    for entry in read_po(PO_FILE):
        if entry.msgid_plural is None:
            if placeholders(entry.msgstr[0]) != placeholders(entry.msgid):
                wrong.append((entry.msgid, entry.msgstr[0]))
            continue
        for index, source in ((0, entry.msgid), (1, entry.msgid_plural)):
            if placeholders(entry.msgstr[index]) != placeholders(source):
                wrong.append((source, entry.msgstr[index]))
    assert wrong == []


def test_the_placeholder_check_sees_a_lost_or_renamed_placeholder():
    assert placeholders("%(name)s har %(count)d, %s och {0}") == ["%(count)d", "%(name)s", "%s", "{0}"]
    assert placeholders("%(namn)s") != placeholders("%(name)s")
    assert placeholders("100 %% klart") == []


# --- labels not fixed at import time ---------------------------------------------------------------------------


def test_labels_taken_from_model_fields_follow_the_language(compiled_messages):
    with translation.override("en"):
        form = CollaborationForm()
        assert form.fields["written_consent_on"].label == "Written consent to the investigation"
        assert form.fields["investigation_started_on"].label == "Receiving municipality's investigation started"
    with translation.override("sv"):
        form = CollaborationForm()
        assert form.fields["written_consent_on"].label == "Skriftligt samtycke till utredning"


# --- (d) the main pages in English carry no Swedish UI words --------------------------------------------------

# Common words of the Swedish UI (whole words, case as shown). None occurs in the test data the pages show.
SWEDISH_UI_WORDS = [
    "Förfrågan",
    "Förfrågningar",
    "förfrågan",
    "Ärende",
    "Ärenden",
    "ärendet",
    "Mina ärenden",
    "Inkorg",
    "Spara",
    "Skicka",
    "Logga ut",
    "Logga in",
    "Beslut",
    "Kommuner",
    "Rapporter",
    "Notiser",
    "Samtycken",
    "Välj",
    "Avbryt",
    "Fortsätt",
    "Handläggare",
    "Överlämnande",
    "Mottagande",
    "kommun",
    "Period",
    "Nästa",
    "Tillbaka",
    "Status",
    "Vems tur",
    "Er tur",
    "Att göra",
    "Skickad",
    "Svar senast",
    "Användarnamn",
    "Lösenord",
]
# "Period" and "Status" are English words too; they count only in Swedish (see swedish_words_in).
SAME_IN_ENGLISH = {"Period", "Status"}
_WORD = {word: re.compile(rf"(?<![\wÅÄÖåäö]){re.escape(word)}(?![\wÅÄÖåäö])") for word in SWEDISH_UI_WORDS}


class _VisibleText(HTMLParser):
    """Collects what a reader sees or hears: text, and the title, alt, aria-label, placeholder and button values."""

    ATTRIBUTES = {"title", "alt", "aria-label", "placeholder"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._skip += 1
        attributes = dict(attrs)
        for name in self.ATTRIBUTES & attributes.keys():
            self.parts.append(attributes[name] or "")
        if tag == "input" and attributes.get("type") in ("submit", "button"):
            self.parts.append(attributes.get("value") or "")

    def handle_endtag(self, tag):
        if tag in ("script", "style") and self._skip:
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = _VisibleText()
    parser.feed(html)
    # The language menu names each language in itself ("Svenska"); it is not UI text to translate.
    return "\n".join(part for part in parser.parts if part.strip() and part.strip() != "Svenska")


def swedish_words_in(text: str, *, english: bool) -> list[str]:
    words = SWEDISH_UI_WORDS if not english else [w for w in SWEDISH_UI_WORDS if w not in SAME_IN_ENGLISH]
    return [word for word in words if _WORD[word].search(text)]


def test_the_word_check_finds_swedish_words_and_only_whole_words():
    text = visible_text(
        '<button title="Spara">x</button><p>Inkorgen och Logga ut</p><script>"Beslut"</script><option>Svenska</option>'
    )
    assert swedish_words_in(text, english=True) == ["Spara", "Logga ut"]
    assert swedish_words_in("Decision, Statuses, Periodic", english=False) == []


@pytest.fixture
def pages(officer_koping, contact_sala, county_staff):
    """The main pages: (name, user or None for the signed-out login page, url)."""
    case = create_case(officer_koping)
    complete_preparation(case, officer_koping)
    fill_form(case, officer_koping)
    sent = build_sent_case(case, officer_koping, ("Sala", "Arboga"))
    return [
        ("home", officer_koping, reverse("home")),
        ("my cases", officer_koping, reverse("cases:list")),
        ("case page", officer_koping, reverse("cases:detail", args=[case.pk])),
        ("inbox", contact_sala, reverse("cases:inbox")),
        ("decision page", contact_sala, reverse("cases:decide", args=[sent.sala.pk])),
        ("reports", county_staff, reverse("reports:index")),
        ("LUSAM meetings", county_staff, reverse("reports:meetings")),
        ("login", None, reverse("accounts:login")),
    ]


def _page_text(user, url: str, language: str) -> str:
    client = verified_client(user) if user is not None else Client()
    response = client.post(reverse("set_language"), {"language": language, "next": url})
    assert response.status_code == 302
    response = client.get(url)
    assert response.status_code == 200, url
    body = response.content.decode()
    assert f'<html lang="{language}">' in body
    return visible_text(body)


def test_main_pages_in_english_have_no_swedish_ui_words(pages, compiled_messages):
    found = {name: swedish_words_in(_page_text(user, url, "en"), english=True) for name, user, url in pages}
    assert found == {name: [] for name, _user, _url in pages}


def test_main_pages_in_swedish_have_them(pages, compiled_messages):
    for name, user, url in pages:
        words = swedish_words_in(_page_text(user, url, "sv"), english=False)
        expected = "Logga in" if user is None else "Logga ut"
        assert expected in words, name
        assert len(words) >= 3, (name, words)
