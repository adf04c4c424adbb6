"""Pages of a case's journey. Each view is thin: form → one workflow call → page.

Every case, request and consent is fetched through ``cases.selectors`` (404 for what the user may
not see; reads are audited there). A ``WorkflowError`` becomes its Swedish message on the page with
the submitted data kept; nothing is decided here.
"""

from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.models import Role, Unit, User
from cases import forms, selectors, workflow
from cases.access import can_manage_access, case_access_grant, case_access_revoke, case_role, request_role
from cases.events import EventKind
from cases.models import (
    Case,
    CaseStatus,
    CaseUserObjectPermission,
    Decision,
    LusamRecord,
    MeetingKind,
    Request,
    RequestFormSection,
    RequestStatus,
    Side,
)
from cases.presentation import NEXT_STEPS, case_rows_for_user, case_turns, event_detail, next_steps, request_turn
from cases.workflow import Action, WorkflowError
from municipalities.models import Municipality

GET_POST = ["GET", "POST"]
SHARED_STATUSES = (CaseStatus.AGREED, CaseStatus.MOVED, CaseStatus.CLOSED)


# ---------------------------------------------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------------------------------------------


def _attempt(form, call, /, **kwargs):
    """Run one workflow call; on ``WorkflowError`` put its message on ``form`` and return None."""
    try:
        with transaction.atomic():
            return call(**kwargs) or True
    except WorkflowError as error:
        form.add_error(None, error.message)
        return None


def _get_case(request: HttpRequest, pk: int) -> Case:
    return selectors.case_get_for_user(user=request.user, pk=pk, http_request=request)


def _disable(form) -> None:
    """Show a form read-only (the workflow would refuse a change now anyway)."""
    for field in form.fields.values():
        field.disabled = True


def _network_municipalities(network_id: int):
    return Municipality.objects.filter(network_id=network_id, participates=True).order_by("name")


def _case_context(request: HttpRequest, case: Case, current: str) -> dict:
    """Return what every case page needs: the user's side, allowed actions and the case's own menu."""
    user = request.user
    side = case_role(case, user)
    actions = workflow.allowed_actions(case, user)
    plan = workflow.current_move_plan(case) if case.status in SHARED_STATUSES else None
    entries = [("detail", _("Översikt"))]
    if side == Side.SENDING:
        entries += [
            ("target_group", _("Målgrupp")),
            ("preparation", _("Förberedelse")),
            ("form_draft", _("Förfrågningsunderlag")),
            ("send", _("Välj mottagare")),
        ]
    if case.status in SHARED_STATUSES and case.receiving_municipality_id:
        entries += [("collaboration", _("Samarbete")), ("move_plan", _("Flyttplan"))]
    if case.receiving_municipality_id and plan is not None and plan.moved_on is not None:
        entries.append(("after_move", _("Efter flytt")))
    if Action.CASE_CLOSE in actions:
        entries.append(("close", _("Avsluta")))
    if can_manage_access(case, user):
        entries.append(("access", _("Behörighet")))
    nav = [
        {"url": reverse(f"cases:{name}", args=[case.pk]), "label": label, "current": name == current}
        for name, label in entries
    ]
    today = timezone.localdate()
    # Whose turn, on every page of the case.
    requests = list(selectors.case_requests_for_user(case=case, user=user).select_related("recipient", "decision"))
    open_requests = [item for item in requests if item.is_open]
    turns = case_turns(case, side, open_requests, today, plan=plan, meetings=case.meetings.all())
    return {
        "case": case,
        "side": side,
        "actions": actions,
        "case_nav": nav,
        "today": today,
        "turns": turns,
        "case_requests": requests,
        "plan": plan,
    }


def _require_side(context: dict, side: str) -> None:
    if context["side"] != side:
        raise Http404


def _done(request: HttpRequest, message: str, url_name: str, *args) -> HttpResponse:
    messages.success(request, message)
    return redirect(url_name, *args)


# ---------------------------------------------------------------------------------------------------------------
# Lists
# ---------------------------------------------------------------------------------------------------------------


def case_list(request: HttpRequest) -> HttpResponse:
    """Mina ärenden: the cases the user works on, each with whose turn it is."""
    user = request.user
    rows = case_rows_for_user(user=user, today=timezone.localdate())
    inbox_open = 0
    if user.municipality_id:
        inbox_open = selectors.inbox_for_user(user=user).filter(status=RequestStatus.SENT).count()
    return render(
        request,
        "cases/case_list.html",
        {
            "sending": [row for row in rows if row["side"] == Side.SENDING],
            "receiving": [row for row in rows if row["side"] != Side.SENDING],
            "inbox_open": inbox_open,
        },
    )


def inbox(request: HttpRequest) -> HttpResponse:
    """Requests addressed to the user's municipality, with the days left to answer and whose turn it is."""
    today = timezone.localdate()
    rows = []
    for item in selectors.inbox_for_user(user=request.user).select_related("case", "sender", "recipient"):
        rows.append(
            {
                "request": item,
                "turn": request_turn(item, Side.RECEIVING, today).text if item.is_open else "",
                "overdue": item.is_open and item.days_left < 0,
            }
        )
    return render(request, "cases/inbox.html", {"rows": rows})


def consent_list(request: HttpRequest) -> HttpResponse:
    """The consents a unit supervisor must give (rule 5)."""
    consents = selectors.consents_for_user(user=request.user).select_related(
        "request__case", "request__sender", "request__recipient"
    )
    return render(request, "cases/consents.html", {"consents": consents})


@require_POST
def consent_give(request: HttpRequest, pk: int) -> HttpResponse:
    consent = selectors.consent_get_for_user(user=request.user, pk=pk, http_request=request)
    try:
        with transaction.atomic():
            workflow.consent_give(consent=consent, actor=request.user)
    except WorkflowError as error:
        messages.error(request, error.message)
        return redirect("cases:consents")
    messages.success(
        request,
        _("Samtycke givet för %(unit)s i ärende %(ref)s.")
        % {"unit": consent.get_unit_display(), "ref": consent.request.case.reference},
    )
    return redirect("cases:consents")


# ---------------------------------------------------------------------------------------------------------------
# Case: create, overview, target group, preparation, request form
# ---------------------------------------------------------------------------------------------------------------


def _case_form_initial(case: Case) -> dict:
    return {
        "gender": case.gender,
        "adult_confirmed": case.adult_confirmed,
        "new_partner": case.new_partner,
        "outpatient_manageable": case.outpatient_manageable,
        "children_ages": ", ".join(str(child.age) for child in case.children.all()),
        "excluded_municipalities": list(case.excluded_municipalities.all()),
    }


@require_http_methods(GET_POST)
def case_create(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not user.municipality_id or user.role != Role.OFFICER:
        raise Http404
    municipalities = _network_municipalities(user.municipality.network_id).exclude(pk=user.municipality_id)
    form = forms.CaseForm(request.POST or None, municipalities=municipalities)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        case = _attempt(
            form,
            workflow.case_create,
            actor=user,
            gender=data["gender"],
            adult_confirmed=data["adult_confirmed"],
            new_partner=data["new_partner"],
            outpatient_manageable=data["outpatient_manageable"],
            children_ages=data["children_ages"],
            excluded_municipalities=list(data["excluded_municipalities"]),
        )
        if case:
            return _done(
                request, _("Ärendet %(ref)s är skapat.") % {"ref": case.reference}, "cases:preparation", case.pk
            )
    return render(request, "cases/case_create.html", {"form": form})


def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The case page: where it stands, whose turn, next steps per side, requests and the timeline."""
    case = _get_case(request, pk)
    context = _case_context(request, case, "detail")
    user, side, today, plan = request.user, context["side"], context["today"], context["plan"]
    requests = context["case_requests"]
    missing = []
    if side == Side.SENDING and case.status in (CaseStatus.PREPARATION, CaseStatus.REQUESTING):
        missing = workflow.preparation_missing(case)
    lusam = None
    if case.status == CaseStatus.CLOSED and side == Side.SENDING:
        lusam = (
            LusamRecord.objects.filter(case=case)
            .select_related("destination", "first_accepted_by", "sending_municipality")
            .prefetch_related("asked")
            .first()
        )
    events = selectors.case_events_for_user(case=case, user=user).select_related(
        "actor", "actor_municipality", "request__recipient"
    )
    context.update(
        {
            "next_steps": next_steps(case.status),
            "requests": [{"request": item, "turn": _request_line(item, side, today)} for item in requests],
            "children": list(case.children.all()),
            "excluded": list(case.excluded_municipalities.all()) if side == Side.SENDING else [],
            "missing": missing,
            "economic_date": workflow.economic_responsibility_date(plan) if plan else None,
            "timeline": [_timeline_row(event) for event in events],
            "lusam": lusam,
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
    case = _get_case(request, pk)
    context = _case_context(request, case, "target_group")
    _require_side(context, Side.SENDING)
    municipalities = _network_municipalities(case.sending_municipality.network_id).exclude(
        pk=case.sending_municipality_id
    )
    form = forms.CaseForm(request.POST or None, municipalities=municipalities, initial=_case_form_initial(case))
    can_edit = Action.TARGET_GROUP_UPDATE in context["actions"]
    if not can_edit and request.method == "GET":
        _disable(form)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        done = _attempt(
            form,
            workflow.case_update_target_group,
            case=case,
            actor=request.user,
            gender=data["gender"],
            adult_confirmed=data["adult_confirmed"],
            new_partner=data["new_partner"],
            outpatient_manageable=data["outpatient_manageable"],
            children_ages=data["children_ages"],
            excluded_municipalities=list(data["excluded_municipalities"]),
        )
        if done:
            return _done(request, _("Målgruppen är sparad."), "cases:target_group", case.pk)
    context.update({"form": form, "can_edit": can_edit})
    return render(request, "cases/target_group.html", context)


@require_http_methods(GET_POST)
def preparation(request: HttpRequest, pk: int) -> HttpResponse:
    """The preparation checklist of the plan (rule 2), with each child informed and heard."""
    case = _get_case(request, pk)
    context = _case_context(request, case, "preparation")
    prep = selectors.case_preparation_for_user(case=case, user=request.user)
    if prep is None:
        raise Http404
    data = request.POST if request.method == "POST" else None
    form = forms.PreparationForm(data, initial=forms.PreparationForm.initial_from(prep), prefix="prep")
    children = list(case.children.all())
    child_forms = [
        (
            child,
            forms.ChildForm(
                data, prefix=f"child-{child.pk}", initial={"informed": child.informed, "heard": child.heard}
            ),
        )
        for child in children
    ]
    can_edit = Action.PREPARATION_UPDATE in context["actions"]
    if not can_edit and data is None:
        _disable(form)
        for _child, child_form in child_forms:
            _disable(child_form)
    if data is not None and form.is_valid() and all(child_form.is_valid() for _c, child_form in child_forms):
        try:
            with transaction.atomic():
                if form.has_changed():
                    workflow.preparation_update(case=case, actor=request.user, data=form.cleaned_data)
                for child, child_form in child_forms:
                    if child_form.has_changed():
                        workflow.child_update(
                            child=child,
                            actor=request.user,
                            informed=child_form.cleaned_data["informed"],
                            heard=child_form.cleaned_data["heard"],
                        )
        except WorkflowError as error:
            form.add_error(None, error.message)
        else:
            return _done(request, _("Förberedelsen är sparad."), "cases:preparation", case.pk)
    context.update(
        {
            "form": form,
            "child_forms": child_forms,
            "can_edit": can_edit,
            "missing": workflow.preparation_missing(case),
        }
    )
    return render(request, "cases/preparation.html", context)


@require_http_methods(GET_POST)
def form_draft(request: HttpRequest, pk: int) -> HttpResponse:
    """The request form's nine sections, with the plan's guiding questions (its appendix)."""
    case = _get_case(request, pk)
    context = _case_context(request, case, "form_draft")
    _require_side(context, Side.SENDING)
    form = forms.RequestFormDraftForm(request.POST or None, initial=case.form_draft.as_sections())
    can_edit = Action.FORM_DRAFT_UPDATE in context["actions"]
    if not can_edit and request.method == "GET":
        _disable(form)
    if request.method == "POST" and form.is_valid():
        done = _attempt(form, workflow.form_draft_update, case=case, actor=request.user, sections=form.sections())
        if done:
            return _done(request, _("Förfrågningsunderlaget är sparat."), "cases:form_draft", case.pk)
    context.update({"form": form, "can_edit": can_edit})
    return render(request, "cases/form_draft.html", context)


# ---------------------------------------------------------------------------------------------------------------
# Requests: send, read, withdraw, decide
# ---------------------------------------------------------------------------------------------------------------


@require_http_methods(GET_POST)
def send(request: HttpRequest, pk: int) -> HttpResponse:
    """Choose one to three recipients, ranked by quota left this year; say why others cannot be asked."""
    case = _get_case(request, pk)
    context = _case_context(request, case, "send")
    _require_side(context, Side.SENDING)
    # Every municipality of the network is a valid answer here; the workflow explains a refused one.
    municipalities = Municipality.objects.filter(network_id=case.sending_municipality.network_id)
    form = forms.RecipientsForm(request.POST or None, municipalities=municipalities)
    if request.method == "POST" and form.is_valid():
        sent = _attempt(
            form,
            workflow.requests_send,
            case=case,
            actor=request.user,
            recipients=list(form.cleaned_data["recipients"]),
        )
        if sent:
            names = ", ".join(item.recipient.name for item in sent)
            return _done(
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


def _form_sections(item: Request) -> list[tuple[str, str]]:
    return [(section.label, item.form.get(section.value, "")) for section in RequestFormSection]


def _request_context(request: HttpRequest, item: Request) -> dict:
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
        "sections": _form_sections(item),
        "children": list(case.children.all()),
        "consents": consents,
        "my_consents": [consent for consent in consents if workflow.can_consent_give(consent, user)],
        "decision": decision,
        "turn": request_turn(item, side, timezone.localdate()) if item.is_open else None,
        "receiving_steps": NEXT_STEPS[CaseStatus.REQUESTING][Side.RECEIVING],
    }


def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One request with its frozen request form, its consents and its answer."""
    item = selectors.request_get_for_user(user=request.user, pk=pk, http_request=request)
    return render(request, "cases/request_detail.html", _request_context(request, item))


@require_http_methods(GET_POST)
def request_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.request_get_for_user(user=request.user, pk=pk, http_request=request)
    form = forms.WithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        done = _attempt(
            form, workflow.request_withdraw, request=item, actor=request.user, reason=form.cleaned_data["reason"]
        )
        if done:
            return _done(
                request,
                _("Förfrågan till %(name)s är återkallad.") % {"name": item.recipient.name},
                "cases:detail",
                item.case_id,
            )
    context = _request_context(request, item)
    context["form"] = form
    return render(request, "cases/request_withdraw.html", context)


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
    if choice == "accept" and accept_form.is_valid():
        done = _attempt(
            accept_form,
            workflow.request_start_acceptance,
            request=item,
            actor=request.user,
            units=accept_form.cleaned_data["units"],
        )
        if done:
            return _done(
                request,
                _("De valda enheternas arbetsledare ombeds nu att samtycka."),
                "cases:request",
                item.pk,
            )
    if choice == "decline" and decline_form.is_valid():
        data = decline_form.cleaned_data
        done = _attempt(
            decline_form,
            workflow.request_decline,
            request=item,
            actor=request.user,
            ground=data["ground"],
            motivation=data["motivation"],
            resources_description=data["resources_description"],
        )
        if done:
            return _done(request, _("Förfrågan är nekad."), "cases:request", item.pk)
    context = _request_context(request, item)
    context.update({"accept_form": accept_form, "decline_form": decline_form, "choice": choice})
    return render(request, "cases/request_decide.html", context)


# ---------------------------------------------------------------------------------------------------------------
# After agreement: collaboration, move plan, after the move, closing
# ---------------------------------------------------------------------------------------------------------------


def _meeting_rows(meetings) -> list[dict]:
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


def _shared_case(request: HttpRequest, pk: int, current: str) -> tuple[Case, dict]:
    case = _get_case(request, pk)
    if case.status not in SHARED_STATUSES or case.receiving_municipality_id is None:
        raise Http404
    context = _case_context(request, case, current)
    if context["side"] is None:
        raise Http404
    return case, context


@require_http_methods(GET_POST)
def collaboration(request: HttpRequest, pk: int) -> HttpResponse:
    """Pre-meeting, the receiving investigation after written consent, other authorities (rule 9)."""
    case, context = _shared_case(request, pk, "collaboration")
    current = case.collaborations.filter(round=case.round).first()
    which = request.POST.get("form") if request.method == "POST" else None
    initial = {name: getattr(current, name) for name in forms.CollaborationForm.FIELDS} if current else {}
    collab_form = forms.CollaborationForm(request.POST if which == "collaboration" else None, initial=initial)
    meeting_form = forms.MeetingForm(request.POST if which == "meeting" else None, prefix="meeting")
    actions = context["actions"]
    if (
        which == "collaboration"
        and collab_form.is_valid()
        and _attempt(
            collab_form, workflow.collaboration_update, case=case, actor=request.user, **collab_form.cleaned_data
        )
    ):
        return _done(request, _("Samarbetet är sparat."), "cases:collaboration", case.pk)
    if (
        which == "meeting"
        and meeting_form.is_valid()
        and _attempt(
            meeting_form,
            workflow.meeting_record,
            case=case,
            actor=request.user,
            kind=MeetingKind.PRE_MEETING,
            **meeting_form.cleaned_data,
        )
    ):
        return _done(request, _("Förmötet är registrerat."), "cases:collaboration", case.pk)
    if which is None and Action.COLLABORATION_UPDATE not in actions:
        _disable(collab_form)
    context.update(
        {
            "collab_form": collab_form,
            "meeting_form": meeting_form,
            "meetings": _meeting_rows(case.meetings.filter(kind=MeetingKind.PRE_MEETING).order_by("date")),
            "can_update": Action.COLLABORATION_UPDATE in actions,
            "can_meet": Action.PRE_MEETING_RECORD in actions,
        }
    )
    return render(request, "cases/collaboration.html", context)


MOVE_PLAN_FORMS = {
    "plan": forms.MovePlanForm,
    "cost": forms.CostItemForm,
    "tax": forms.TaxAgencyDecisionForm,
    "economic": forms.EconomicAgreementForm,
    "move": forms.MoveConfirmForm,
}


@require_http_methods(GET_POST)
def move_plan(request: HttpRequest, pk: int) -> HttpResponse:
    """The move plan (rules 10–11): checklists, practical plan, costs, Tax Agency decision, the move."""
    case, context = _shared_case(request, pk, "move_plan")
    plan = context["plan"]
    if plan is None:
        raise Http404
    user, side, actions = request.user, context["side"], context["actions"]
    which = request.POST.get("form") if request.method == "POST" else None
    bound = {name: (request.POST if which == name else None) for name in MOVE_PLAN_FORMS}
    plan_form = forms.MovePlanForm(bound["plan"], initial=forms.MovePlanForm.initial_from(plan), prefix="plan")
    # Each side ticks its own safety review; the other side's is shown, not sent.
    other = "receiving_checklist" if side == Side.SENDING else "sending_checklist"
    plan_form.fields[other].disabled = True
    page_forms = {
        "plan": plan_form,
        "cost": forms.CostItemForm(bound["cost"], prefix="cost"),
        "tax": forms.TaxAgencyDecisionForm(bound["tax"], prefix="tax"),
        "economic": forms.EconomicAgreementForm(bound["economic"], prefix="economic"),
        "move": forms.MoveConfirmForm(bound["move"], prefix="move", initial={"moved_on": plan.planned_move_date}),
    }
    form = page_forms.get(which)
    if form is not None and form.is_valid():
        call, kwargs, message = _move_plan_call(which, form, side)
        if _attempt(form, call, case=case, actor=user, **kwargs):
            return _done(request, message, "cases:move_plan", case.pk)
    if which is None and Action.MOVE_PLAN_UPDATE not in actions:
        _disable(plan_form)
    context.update(
        {
            "plan": plan,
            "forms": page_forms,
            "which": which,
            "cost_items": list(plan.cost_items.all()),
            "economic_date": workflow.economic_responsibility_date(plan),
            "follow_up_due": workflow.follow_up_due(plan),
            "two_month_end": workflow.two_month_end(plan),
            "awaiting_tax_agency": plan.protected_data_applied and plan.protected_data_decided_on is None,
        }
    )
    return render(request, "cases/move_plan.html", context)


def _move_plan_call(which: str, form, side: str | None):
    """Return the workflow function, its arguments and the success message for one move plan form."""
    data = dict(form.cleaned_data)
    if which == "plan":
        sending_list, receiving_list = form.checklists()
        payload = {name: data[name] for name in forms.MovePlanForm.FIELDS if not name.endswith("_checklist")}
        if side == Side.SENDING:
            payload["sending_checklist"] = sending_list
        else:
            payload["receiving_checklist"] = receiving_list
        return workflow.move_plan_update, {"data": payload}, _("Flyttplanen är sparad.")
    if which == "cost":
        return workflow.cost_item_add, data, _("Kostnaden är tillagd.")
    if which == "tax":
        return workflow.tax_agency_decision_record, data, _("Skatteverkets beslut är registrerat.")
    if which == "economic":
        return workflow.economic_agreement_record, data, _("Överenskommelsen om ekonomiskt ansvar är registrerad.")
    return workflow.move_confirm, data, _("Flytten är bekräftad.")


@require_POST
def cost_item_remove(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    case, context = _shared_case(request, pk, "move_plan")
    plan = context["plan"]
    if plan is None:
        raise Http404
    cost_item = get_object_or_404(plan.cost_items, pk=item_pk)
    try:
        with transaction.atomic():
            workflow.cost_item_remove(cost_item=cost_item, actor=request.user)
    except WorkflowError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Kostnaden är borttagen."))
    return redirect("cases:move_plan", case.pk)


@require_http_methods(GET_POST)
def after_move(request: HttpRequest, pk: int) -> HttpResponse:
    """The joint follow-up meeting (rule 13) and "revealed or cannot stay" (rule 12)."""
    case, context = _shared_case(request, pk, "after_move")
    plan = context["plan"]
    which = request.POST.get("form") if request.method == "POST" else None
    meeting_form = forms.MeetingForm(request.POST if which == "meeting" else None, prefix="meeting")
    revealed_form = forms.RevealedForm(request.POST if which == "revealed" else None, prefix="revealed")
    if (
        which == "meeting"
        and meeting_form.is_valid()
        and _attempt(
            meeting_form,
            workflow.meeting_record,
            case=case,
            actor=request.user,
            kind=MeetingKind.FOLLOW_UP,
            **meeting_form.cleaned_data,
        )
    ):
        return _done(request, _("Uppföljningsmötet är registrerat."), "cases:after_move", case.pk)
    if which == "revealed" and revealed_form.is_valid():
        revealed = _attempt(
            revealed_form, workflow.case_revealed, case=case, actor=request.user, **revealed_form.cleaned_data
        )
        if revealed:
            return _done(
                request,
                _("Registrerat. Ärendet går tillbaka till överlämnande kommun för en ny omgång förfrågningar."),
                "cases:detail",
                case.pk,
            )
    actions = context["actions"]
    context.update(
        {
            "plan": plan,
            "meeting_form": meeting_form,
            "revealed_form": revealed_form,
            "meetings": _meeting_rows(case.meetings.filter(kind=MeetingKind.FOLLOW_UP).order_by("date")),
            "follow_up_due": workflow.follow_up_due(plan) if plan else None,
            "two_month_end": workflow.two_month_end(plan) if plan else None,
            "economic_date": workflow.economic_responsibility_date(plan) if plan else None,
            "can_meet": Action.FOLLOW_UP_RECORD in actions,
            "can_reveal": Action.CASE_REVEALED in actions,
        }
    )
    return render(request, "cases/after_move.html", context)


@require_http_methods(GET_POST)
def case_close(request: HttpRequest, pk: int) -> HttpResponse:
    """Close the case: moved, not moved (fixed reason and free text) or referred to the national network."""
    case = _get_case(request, pk)
    context = _case_context(request, case, "close")
    _require_side(context, Side.SENDING)
    form = forms.CloseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        closed = _attempt(form, workflow.case_close, case=case, actor=request.user, **form.cleaned_data)
        if closed:
            return _done(request, _("Ärendet är avslutat och LUSAM-redovisningen ifylld."), "cases:detail", case.pk)
    context.update({"form": form, "can_close": Action.CASE_CLOSE in context["actions"]})
    return render(request, "cases/case_close.html", context)


# ---------------------------------------------------------------------------------------------------------------
# Access
# ---------------------------------------------------------------------------------------------------------------


@require_http_methods(GET_POST)
def case_access(request: HttpRequest, pk: int) -> HttpResponse:
    """Who of the own municipality works on the case; grant and revoke (every change is logged)."""
    case = _get_case(request, pk)
    user = request.user
    if not can_manage_access(case, user):
        raise Http404
    context = _case_context(request, case, "access")
    colleagues = User.objects.filter(municipality_id=user.municipality_id, role=Role.OFFICER, is_active=True).order_by(
        "first_name", "last_name", "username"
    )
    holders = {
        grant.user_id: grant.user
        for grant in CaseUserObjectPermission.objects.filter(
            content_object=case, permission__codename="work_on_case", user__municipality_id=user.municipality_id
        ).select_related("user")
    }
    which = request.POST.get("form") if request.method == "POST" else None
    grant_form = forms.AccessGrantForm(
        request.POST if which == "grant" else None, colleagues=colleagues.exclude(pk__in=holders)
    )
    if which == "grant" and grant_form.is_valid():
        colleague = grant_form.cleaned_data["user"]
        if _attempt(grant_form, case_access_grant, case=case, actor=user, user=colleague):
            return _done(
                request,
                _("%(name)s har fått behörighet till ärendet.") % {"name": colleague.get_full_name()},
                "cases:access",
                case.pk,
            )
    if which == "revoke":
        user_pk = request.POST.get("user", "")
        if not user_pk.isdigit():
            raise Http404
        colleague = get_object_or_404(colleagues, pk=int(user_pk))
        try:
            with transaction.atomic():
                case_access_revoke(case=case, actor=user, user=colleague)
        except WorkflowError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request, _("Behörigheten för %(name)s är återkallad.") % {"name": colleague.get_full_name()}
            )
        return redirect("cases:access", case.pk)
    context.update({"holders": sorted(holders.values(), key=lambda u: u.get_full_name()), "grant_form": grant_form})
    return render(request, "cases/access.html", context)
