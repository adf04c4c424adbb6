"""Every free-text form field of the app refuses identity numbers, phone numbers and addresses.

A free-text field is a CharField with a textarea, or one marked ``free_text = True`` (the case
forms make all theirs through one function that marks them). Forms are found by importing every
``forms`` module of the project's apps.
"""

import importlib
from pathlib import Path

import pytest
from django import forms
from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse

from lanskompott.identifiers import find_identifiers, refuse_identifiers


def _subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def project_forms() -> list[type[forms.BaseForm]]:
    """Return every form class defined in a ``forms`` module of a project app."""
    names = []
    for config in apps.get_app_configs():
        if not Path(config.path).is_relative_to(settings.BASE_DIR) or ".venv" in Path(config.path).parts:
            continue
        if (Path(config.path) / "forms.py").exists():
            importlib.import_module(f"{config.name}.forms")
            names.append(f"{config.name}.forms")
    return [form for form in set(_subclasses(forms.BaseForm)) if form.__module__ in names]


def is_free_text(field: forms.Field) -> bool:
    if getattr(field, "free_text", False):
        return True
    return type(field) is forms.CharField and isinstance(field.widget, forms.Textarea)


def form_fields(form: type[forms.BaseForm]) -> dict[str, forms.Field]:
    """Return the fields of ``form``, those made in ``__init__`` too when it needs no arguments."""
    try:
        return form().fields
    except TypeError:
        return form.base_fields


def test_every_free_text_field_refuses_identifiers():
    unguarded = [
        f"{form.__module__}.{form.__qualname__}.{name}"
        for form in project_forms()
        for name, field in form_fields(form).items()
        if is_free_text(field) and refuse_identifiers not in field.validators
    ]
    assert not unguarded, f"Free-text fields without lanskompott.identifiers.refuse_identifiers: {unguarded}"


def test_the_check_sees_a_textarea_without_the_validator():
    class Sample(forms.Form):
        notes = forms.CharField(widget=forms.Textarea)
        guarded = forms.CharField(widget=forms.Textarea, validators=[refuse_identifiers])
        name = forms.CharField()

    fields = Sample.base_fields
    assert is_free_text(fields["notes"]) and refuse_identifiers not in fields["notes"].validators
    assert refuse_identifiers in fields["guarded"].validators
    assert not is_free_text(fields["name"])
    form = Sample(data={"notes": "x", "guarded": "Hon nås på 070-123 45 67", "name": "x"})
    assert not form.is_valid()
    assert "telefonnummer" in form.errors["guarded"][0]


def test_every_free_text_field_names_itself_in_the_refusal():
    """A long form shows its errors in a summary at the top: each refusal says which field holds the number."""
    text = "Kvinna född 850215-1239 med två barn"
    assert find_identifiers(text) == ["personal_identity_number"]
    checked = []
    for form in project_forms():
        for name, field in form_fields(form).items():
            if not is_free_text(field):
                continue
            with pytest.raises(ValidationError) as refused:
                field.clean(text)
            messages = [str(message) for message in refused.value.messages]
            assert any(f"”{field.label}”" in message and "personnummer" in message for message in messages), (
                f"{form.__qualname__}.{name}",
                messages,
            )
            checked.append(name)
    assert len(checked) >= 20


def test_a_page_shows_the_refused_field_by_name(officer_koping):
    from tests.builders import create_case
    from tests.conftest import verified_client

    case = create_case(officer_koping)
    response = verified_client(officer_koping).post(
        reverse("cases:form_draft", args=[case.pk]),
        {"applicant": "Kvinna i 30-årsåldern.", "housing": "Ring henne på 070-123 45 67."},
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "innehåller ett telefonnummer" in body
    label = str(response.context["form"].fields["housing"].label)
    assert f"Fältet ”{label}” innehåller ett telefonnummer" in body
