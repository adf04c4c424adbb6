"""The move plan and the move (rules 10–11): checklists, practical plan, costs, Tax Agency decision."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from cases import forms, workflow
from cases.views.common import GET_POST, PostedForm, attempt_with_message, data_for, disable, posted_form, save_posted
from cases.views.context import shared_case
from cases.workflow import Action

# The forms of the move plan page (each posted with its name, also its prefix): the form, the
# workflow call it feeds and what the page says after a save.
MOVE_PLAN_FORMS = {
    "plan": (forms.MovePlanForm, workflow.move_plan_update, gettext_lazy("Flyttplanen är sparad.")),
    "cost": (forms.CostItemForm, workflow.cost_item_add, gettext_lazy("Kostnaden är tillagd.")),
    "tax": (
        forms.TaxAgencyDecisionForm,
        workflow.tax_agency_decision_record,
        gettext_lazy("Skatteverkets beslut är registrerat."),
    ),
    "economic": (
        forms.EconomicAgreementForm,
        workflow.economic_agreement_record,
        gettext_lazy("Överenskommelsen om ekonomiskt ansvar är registrerad."),
    ),
    "move": (forms.MoveConfirmForm, workflow.move_confirm, gettext_lazy("Flytten är bekräftad.")),
}


def _plan_case(request: HttpRequest, pk: int):
    """Return the case, its page context and its current move plan (404 without one)."""
    case, context = shared_case(request, pk, "move_plan")
    if context["plan"] is None:
        raise Http404
    return case, context, context["plan"]


@require_http_methods(GET_POST)
def move_plan(request: HttpRequest, pk: int) -> HttpResponse:
    """The move plan (rules 10–11): checklists, practical plan, costs, Tax Agency decision, the move."""
    case, context, plan = _plan_case(request, pk)
    which = posted_form(request)
    then = ("cases:move_plan", case.pk)
    form_kwargs = {
        "plan": {"initial": forms.MovePlanForm.initial_from(plan), "side": context["side"]},
        "move": {"initial": {"moved_on": plan.planned_move_date}},
    }
    page_forms = {
        name: PostedForm(
            form_class(data_for(request, which, name), prefix=name, **form_kwargs.get(name, {})),
            call,
            str(success),
            then,
        )
        for name, (form_class, call, success) in MOVE_PLAN_FORMS.items()
    }
    if response := save_posted(request, which, page_forms, case=case, actor=request.user):
        return response
    if which is None and Action.MOVE_PLAN_UPDATE not in context["actions"]:
        disable(page_forms["plan"].form)
    context.update(
        {
            "plan": plan,
            "forms": {name: posted.form for name, posted in page_forms.items()},
            "which": which,
            "cost_items": list(plan.cost_items.all()),
            "economic_date": workflow.economic_responsibility_date(plan),
            "follow_up_due": workflow.follow_up_due(plan),
            "two_month_end": workflow.two_month_end(plan),
            "awaiting_tax_agency": plan.protected_data_applied and plan.protected_data_decided_on is None,
        }
    )
    return render(request, "cases/move_plan.html", context)


@require_POST
def cost_item_remove(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    case, _context, plan = _plan_case(request, pk)
    cost_item = get_object_or_404(plan.cost_items, pk=item_pk)
    attempt_with_message(
        request,
        workflow.cost_item_remove,
        cost_item=cost_item,
        actor=request.user,
        success=_("Kostnaden är borttagen."),
    )
    return redirect("cases:move_plan", case.pk)
