"""Requests from the sending side: choose recipients and send (rules 3–4), read one, withdraw it (rule 7)."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from cases import forms, selectors, workflow
from cases.access import request_role
from cases.models import CaseStatus, Decision, Request, RequestFormSection, Side
from cases.presentation import NEXT_STEPS, request_turn
from cases.views.common import GET_POST, attempt, done, save
from cases.views.context import sending_case
from cases.workflow import Action
from municipalities.models import Municipality


@require_http_methods(GET_POST)
def send(request: HttpRequest, pk: int) -> HttpResponse:
    """Choose one to three recipients, ranked by quota left this year; say why others cannot be asked."""
    case, context = sending_case(request, pk, "send")
    # Every municipality of the network is a valid answer here; the workflow explains a refused one.
    municipalities = Municipality.objects.filter(network_id=case.sending_municipality.network_id)
    form = forms.RecipientsForm(request.POST or None, municipalities=municipalities)
    if request.method == "POST" and form.is_valid():
        sent = attempt(form, workflow.requests_send, case=case, actor=request.user, **form.workflow_kwargs())
        if sent:
            names = ", ".join(item.recipient.name for item in sent)
            return done(
                request,
                _("Förfrågan skickad till %(names)s. Svar senast %(date)s.")
                % {"names": names, "date": sent[0].reply_by.isoformat()},
                "cases:detail",
                case.pk,
            )
    selected = {str(value) for value in form.data.getlist("recipients")} if form.is_bound else set()
    missing = workflow.preparation_missing(case)
    # Reasons that hold for every municipality: shown on each row that would otherwise be free.
    open_count = sum(1 for item in context["case_requests"] if item.is_open)
    case_refusal = None
    if Action.REQUESTS_SEND not in context["actions"]:
        case_refusal = _("Förfrågningar kan inte skickas i ärendets nuvarande skede.")
    elif missing:
        case_refusal = _("Förberedelsen är inte klar.")
    elif open_count >= workflow.MAX_OPEN_REQUESTS:
        case_refusal = _("Ärendet har redan tre öppna förfrågningar.")
    rows = [
        {
            "municipality": option.municipality,
            "quota": option.quota,
            "received": option.received,
            "left": option.quota_left,
            "refusal": option.refusal or case_refusal,
            "earlier": option.earlier,
            "checked": str(option.municipality.pk) in selected,
        }
        for option in selectors.recipient_options_for_case(case=case, user=request.user)
    ]
    own = case.sending_municipality
    rows.append({"municipality": own, "refusal": workflow.recipient_refusal(case, own), "earlier": [], "own": True})
    context.update(
        {
            "form": form,
            "rows": rows,
            "year": context["today"].year,
            "can_send": Action.REQUESTS_SEND in context["actions"],
            "missing": missing,
        }
    )
    return render(request, "cases/send.html", context)


def request_context(request: HttpRequest, item: Request) -> dict:
    """Return what every page of one request needs: its frozen form, consents, answer and whose turn."""
    user = request.user
    case = item.case
    side = request_role(item, user)
    consents = list(item.consents.select_related("supervisor").order_by("unit"))
    for consent in consents:
        consent.request = item
    try:
        decision = item.decision
    except Decision.DoesNotExist:
        decision = None
    return {
        "item": item,
        "case": case,
        "side": side,
        "request_actions": workflow.allowed_request_actions(item, user),
        "sections": [(section.label, item.form.get(section.value, "")) for section in RequestFormSection],
        "children": list(case.children.all()),
        "consents": consents,
        "my_consents": [consent for consent in consents if workflow.can_consent_give(consent, user)],
        "decision": decision,
        "turn": request_turn(item, side, timezone.localdate()) if item.is_open else None,
        "receiving_steps": NEXT_STEPS[CaseStatus.REQUESTING][Side.RECEIVING],
    }


@require_safe
def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One request with its frozen request form, its consents and its answer."""
    item = selectors.request_get_for_user(user=request.user, pk=pk, http_request=request)
    return render(request, "cases/request_detail.html", request_context(request, item))


@require_http_methods(GET_POST)
def request_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.request_get_for_user(user=request.user, pk=pk, http_request=request)
    form = forms.WithdrawForm(request.POST or None)
    if response := save(
        request,
        form,
        workflow.request_withdraw,
        request=item,
        actor=request.user,
        success=_("Förfrågan till %(name)s är återkallad.") % {"name": item.recipient.name},
        then=("cases:detail", item.case_id),
    ):
        return response
    context = request_context(request, item)
    context["form"] = form
    return render(request, "cases/request_withdraw.html", context)
