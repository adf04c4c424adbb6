"""How every page calls the workflow and handles its forms: one way to save, one way to show a refusal.

A ``WorkflowError`` becomes its Swedish message on the form (at the field it names) with the
submitted data kept and nothing saved; nothing is decided here.
"""

from collections.abc import Callable
from typing import Any, NamedTuple

from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from accounts.models import Unit
from cases.models import Case
from cases.workflow import WorkflowError
from municipalities.models import Municipality

GET_POST = ["GET", "POST"]


# ---------------------------------------------------------------------------------------------------------------
# Calling the workflow
# ---------------------------------------------------------------------------------------------------------------


def show_refusal(form, error: WorkflowError) -> None:
    """Put the workflow's message on ``form``: at the field it names if the form has one, else on top.

    Either way the error summary lists it, linked to the field or to the form.
    """
    field = error.field if error.field in form.fields else None
    form.add_error(field, error.message)


def attempt(form, call: Callable[..., Any], /, **kwargs) -> Any:
    """Run one workflow call in a transaction; return its result (``True`` for ``None``).

    On ``WorkflowError`` nothing is saved, the message goes on ``form`` and ``None`` is returned.
    """
    try:
        with transaction.atomic():
            return call(**kwargs) or True
    except WorkflowError as error:
        show_refusal(form, error)
        return None


def attempt_with_message(request: HttpRequest, call: Callable[..., Any], /, *, success: str, **kwargs) -> bool:
    """Run one workflow call of a button without a form; say ``success`` or the refusal as a message."""
    try:
        with transaction.atomic():
            call(**kwargs)
    except WorkflowError as error:
        messages.error(request, error.message)
        return False
    messages.success(request, success)
    return True


def done(request: HttpRequest, message: str, url_name: str, *args) -> HttpResponse:
    """Say ``message`` and go to ``url_name`` (post/redirect/get)."""
    messages.success(request, message)
    return redirect(url_name, *args)


class PostedForm(NamedTuple):
    """One of several forms on a page: the workflow call it feeds, the message on success, where that leads."""

    form: Any
    call: Callable[..., Any]
    success: str
    then: tuple


def save(request: HttpRequest, form, call: Callable[..., Any], /, *, success: str, then: tuple, **kwargs):
    """Validate ``form`` and run ``call`` with ``kwargs`` and the form's ``workflow_kwargs()``.

    After a success say ``success`` and redirect to ``then`` (a URL name and its arguments). Return
    ``None`` when the form is invalid or the workflow refused: the page is shown again with the
    messages on the form and the input kept.
    """
    # An unbound form (a GET) is never valid: nothing runs.
    if form.is_valid() and attempt(form, call, **kwargs, **form.workflow_kwargs()):
        return done(request, success, *then)
    return None


def one_form_page(
    request: HttpRequest,
    case: Case,
    context: dict,
    form,
    /,
    *,
    call: Callable[..., Any],
    action: str,
    success: str,
    url_name: str,
    template: str,
) -> HttpResponse:
    """Show a case page of one form, or save it with ``call`` and come back to ``url_name``.

    The form is shown read-only while ``action`` is not among the user's allowed actions.
    """
    can_edit = action in context["actions"]
    if not can_edit and request.method == "GET":
        disable(form)
    then = (url_name, case.pk)
    if response := save(request, form, call, case=case, actor=request.user, success=success, then=then):
        return response
    context.update({"form": form, "can_edit": can_edit})
    return render(request, template, context)


def save_posted(request: HttpRequest, which: str | None, page_forms: dict[str, PostedForm], /, **kwargs):
    """Save the form named ``which`` if it is one of ``page_forms`` (see ``save``); else return ``None``."""
    posted = page_forms.get(which)
    if posted is None:
        return None
    return save(request, posted.form, posted.call, success=posted.success, then=posted.then, **kwargs)


# ---------------------------------------------------------------------------------------------------------------
# Forms on the page
# ---------------------------------------------------------------------------------------------------------------


def posted_form(request: HttpRequest) -> str | None:
    """Return which form of a page with several was posted (its hidden ``form`` field); ``None`` for GET."""
    return request.POST.get("form") if request.method == "POST" else None


def data_for(request: HttpRequest, which: str | None, name: str):
    """Return the posted data for the form ``name`` if it is the one posted, else ``None`` (unbound)."""
    return request.POST if which == name else None


def disable(*forms) -> None:
    """Show forms read-only (the workflow would refuse a change now anyway)."""
    for form in forms:
        for field in form.fields.values():
            field.disabled = True


def other_municipalities(municipality: Municipality):
    """Return the participating municipalities of ``municipality``'s network except itself, by name."""
    return (
        Municipality.objects.filter(network_id=municipality.network_id, participates=True)
        .exclude(pk=municipality.pk)
        .order_by("name")
    )


def meeting_rows(meetings) -> list[dict]:
    """Return meetings with the units as their labels."""
    label = dict(Unit.choices)
    return [
        {
            "date": meeting.date,
            "sending_units": [label.get(unit, unit) for unit in meeting.sending_units],
            "receiving_units": [label.get(unit, unit) for unit in meeting.receiving_units],
            "notes": meeting.notes,
        }
        for meeting in meetings
    ]
