"""The case a page shows: fetched with permission, with the user's side, allowed actions and the case's menu.

Every case, request and consent is fetched through ``cases.selectors`` (404 for what the user may
not see; reads are audited there).
"""

from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from cases import selectors, workflow
from cases.access import can_manage_access, case_role, remember_grants
from cases.models import Case, CaseStatus, Side
from cases.presentation import case_turns
from cases.workflow import Action

# The statuses in which both sides work on the case together (collaboration, move plan, after the move).
SHARED_STATUSES = (CaseStatus.AGREED, CaseStatus.MOVED, CaseStatus.CLOSED)


def get_case(request: HttpRequest, pk: int) -> Case:
    """Return the case ``pk`` for this request (404 if the user may not see it); its grant is asked once."""
    return remember_grants(selectors.case_get_for_user(user=request.user, pk=pk, http_request=request))


def case_context(request: HttpRequest, case: Case, current: str) -> dict:
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


def sending_case(request: HttpRequest, pk: int, current: str) -> tuple[Case, dict]:
    """Return the case and its page context for a page of the sending side only (404 for anyone else)."""
    case = get_case(request, pk)
    context = case_context(request, case, current)
    if context["side"] != Side.SENDING:
        raise Http404
    return case, context


def shared_case(request: HttpRequest, pk: int, current: str) -> tuple[Case, dict]:
    """Return the case and its page context for a page both sides share after agreement (404 before)."""
    case = get_case(request, pk)
    if case.status not in SHARED_STATUSES or case.receiving_municipality_id is None:
        raise Http404
    context = case_context(request, case, current)
    if context["side"] is None:
        raise Http404
    return case, context
