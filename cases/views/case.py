"""The case itself: create it, its overview page, and its target group (rule 1)."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from accounts.models import Role
from cases import forms, selectors, workflow
from cases.events import EventKind
from cases.models import CaseStatus, Request, Side
from cases.presentation import event_detail, next_steps, request_turn
from cases.views.common import GET_POST, attempt, done, one_form_page, other_municipalities
from cases.views.context import case_context, get_case, sending_case
from cases.workflow import Action


@require_http_methods(GET_POST)
def case_create(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not user.municipality_id or user.role != Role.OFFICER:
        raise Http404
    form = forms.CaseForm(request.POST or None, municipalities=other_municipalities(user.municipality))
    if request.method == "POST" and form.is_valid():
        case = attempt(form, workflow.case_create, actor=user, **form.workflow_kwargs())
        if case:
            return done(
                request, _("Ärendet %(ref)s är skapat.") % {"ref": case.reference}, "cases:preparation", case.pk
            )
    return render(request, "cases/case_create.html", {"form": form})


@require_safe
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The case page: where it stands, whose turn, next steps per side, requests and the timeline."""
    case = get_case(request, pk)
    context = case_context(request, case, "detail")
    user, side, today, plan = request.user, context["side"], context["today"], context["plan"]
    missing = []
    if side == Side.SENDING and case.status in (CaseStatus.PREPARATION, CaseStatus.REQUESTING):
        missing = workflow.preparation_missing(case)
    events = selectors.case_events_for_user(case=case, user=user).select_related(
        "actor", "actor_municipality", "request__recipient"
    )
    context.update(
        {
            "next_steps": next_steps(case.status),
            "requests": [
                {"request": item, "turn": _request_line(item, side, today)} for item in context["case_requests"]
            ],
            "children": list(case.children.all()),
            "excluded": list(case.excluded_municipalities.all()) if side == Side.SENDING else [],
            "missing": missing,
            "economic_date": workflow.economic_responsibility_date(plan) if plan else None,
            "timeline": [_timeline_row(event) for event in events],
            "lusam": selectors.case_lusam_record_for_user(case=case, user=user),
        }
    )
    return render(request, "cases/case_detail.html", context)


def _request_line(item: Request, side: str | None, today) -> str:
    if item.is_open:
        return request_turn(item, side, today).text
    return item.get_status_display()


def _timeline_row(event) -> dict:
    try:
        label = EventKind(event.kind).label
    except ValueError:
        label = event.kind
    actor = ""
    if event.actor_id:
        actor = event.actor.get_full_name() or event.actor.username
    return {
        "at": event.at,
        "label": label,
        "actor": actor,
        "municipality": event.actor_municipality.name if event.actor_municipality_id else "",
        "recipient": event.request.recipient.name if event.request_id else "",
        "detail": event_detail(event.kind, event.data or {}),
    }


@require_http_methods(GET_POST)
def target_group(request: HttpRequest, pk: int) -> HttpResponse:
    case, context = sending_case(request, pk, "target_group")
    form = forms.CaseForm(
        request.POST or None,
        municipalities=other_municipalities(case.sending_municipality),
        initial=forms.CaseForm.initial_from(case),
    )
    return one_form_page(
        request,
        case,
        context,
        form,
        call=workflow.case_update_target_group,
        action=Action.TARGET_GROUP_UPDATE,
        success=_("Målgruppen är sparad."),
        url_name="cases:target_group",
        template="cases/target_group.html",
    )
