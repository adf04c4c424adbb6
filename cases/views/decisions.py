"""The receiving side's answer: accept with the units' consents (rule 5) or decline on a ground (rule 6)."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from cases import forms, selectors, workflow
from cases.views.common import GET_POST, PostedForm, attempt_with_message, save_posted
from cases.views.requests import request_context


@require_http_methods(GET_POST)
def request_decide(request: HttpRequest, pk: int) -> HttpResponse:
    """Accept (choose the affected units) or decline on one of the two grounds (rules 5 and 6)."""
    item = selectors.request_get_for_user(user=request.user, pk=pk, http_request=request)
    choice = request.POST.get("decision") if request.method == "POST" else None
    supervised_units = selectors.supervised_units(municipality_id=item.recipient_id)
    accept_form = forms.AcceptForm(
        request.POST if choice == "accept" else None, prefix="accept", supervised_units=supervised_units
    )
    decline_form = forms.DeclineForm(request.POST if choice == "decline" else None, prefix="decline")
    then = ("cases:request", item.pk)
    answers = {
        "accept": PostedForm(
            accept_form,
            workflow.request_start_acceptance,
            _("De valda enheternas arbetsledare ombeds nu att samtycka."),
            then,
        ),
        "decline": PostedForm(decline_form, workflow.request_decline, _("Förfrågan är nekad."), then),
    }
    if response := save_posted(request, choice, answers, request=item, actor=request.user):
        return response
    context = request_context(request, item)
    context.update({"accept_form": accept_form, "decline_form": decline_form, "choice": choice})
    return render(request, "cases/request_decide.html", context)


@require_safe
def consent_list(request: HttpRequest) -> HttpResponse:
    """The consents a unit supervisor must give (rule 5)."""
    consents = selectors.consents_for_user(user=request.user).select_related(
        "request__case", "request__sender", "request__recipient"
    )
    return render(request, "cases/consents.html", {"consents": consents})


@require_POST
def consent_give(request: HttpRequest, pk: int) -> HttpResponse:
    """Give one unit's consent; the last one accepts the request (rules 5 and 7)."""
    consent = selectors.consent_get_for_user(user=request.user, pk=pk, http_request=request)
    attempt_with_message(
        request,
        workflow.consent_give,
        consent=consent,
        actor=request.user,
        success=_("Samtycke givet för %(unit)s i ärende %(ref)s.")
        % {"unit": consent.get_unit_display(), "ref": consent.request.case.reference},
    )
    return redirect("cases:consents")
