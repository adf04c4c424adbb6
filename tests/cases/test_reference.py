"""A case carries a random reference code and no identity of the person or the children."""

import re

import pytest
from django.apps import apps

from cases.models import REFERENCE_ALPHABET, new_reference
from tests.builders import create_case

PATTERN = re.compile(rf"^[{REFERENCE_ALPHABET}]{{4}}-[{REFERENCE_ALPHABET}]{{4}}$")


def test_references_are_random_codes_of_unmistakable_characters():
    references = [new_reference() for _ in range(2000)]
    assert all(PATTERN.match(reference) for reference in references)
    assert len(set(references)) == len(references)
    # Random, not a counter: consecutive codes share no common prefix more often than chance allows.
    shared_prefix = sum(a[:2] == b[:2] for a, b in zip(references, references[1:], strict=False))
    assert shared_prefix < 30  # chance: 1999 / 24² ≈ 3.5
    # Nothing that could be read as another character on a fax, and no digits of a municipality code.
    assert not set("0O1I2Z5S6G8B") & set(REFERENCE_ALPHABET)


@pytest.mark.django_db
def test_a_new_case_gets_its_own_random_reference(officer_koping):
    first, second = create_case(officer_koping), create_case(officer_koping)
    for case in (first, second):
        assert PATTERN.match(case.reference)
    assert first.reference != second.reference


IDENTITY_WORDS = ("name", "namn", "personnummer", "identity", "ssn", "address", "adress", "phone", "telefon", "email")


def test_no_model_of_a_case_has_a_field_for_identity():
    for model in apps.get_app_config("cases").get_models():
        for field in model._meta.get_fields():
            assert not any(word in field.name.lower() for word in IDENTITY_WORDS), f"{model.__name__}.{field.name}"
