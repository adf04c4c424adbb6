"""The case workflow: every transition of the plan's *Ett ärendes gång*, and its rules, in one module.

Each transition is one keyword-only function that always runs in the same order:

1. may this actor do it (a pure ``can_…`` guard, the same one ``allowed_actions`` uses for buttons);
2. ``transaction.atomic()`` and ``select_for_update()`` on the case (and its requests);
3. is the state right (else ``WorkflowError`` with a Swedish message);
4. change, ``save(update_fields=[…])``;
5. ``record_event(…)`` (ids, dates and choice values only, never free text);
6. side effects with ``transaction.on_commit`` (notifications are sent by ``record_event``).

No other code assigns a status field. Views catch ``WorkflowError`` and show ``error.message``.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from cases.models import (
    Case,
    Child,
    CostItem,
    Meeting,
    MovePlan,
    Request,
    UnitConsent,
)

if TYPE_CHECKING:
    from accounts.models import User
    from municipalities.models import Municipality


class WorkflowError(Exception):
    """A transition that is not allowed; ``message`` is a translated Swedish sentence for the page."""

    def __init__(self, message: Any) -> None:
        self.message = str(message)
        super().__init__(self.message)


class Action:
    """Names of the actions ``allowed_actions`` returns (they are the names of the functions below)."""

    TARGET_GROUP_UPDATE = "case_update_target_group"
    PREPARATION_UPDATE = "preparation_update"
    CHILD_UPDATE = "child_update"
    FORM_DRAFT_UPDATE = "form_draft_update"
    REQUESTS_SEND = "requests_send"
    REQUEST_WITHDRAW = "request_withdraw"
    REQUEST_START_ACCEPTANCE = "request_start_acceptance"
    REQUEST_DECLINE = "request_decline"
    CONSENT_GIVE = "consent_give"
    PRE_MEETING_RECORD = "pre_meeting_record"
    FOLLOW_UP_RECORD = "follow_up_record"
    COLLABORATION_UPDATE = "collaboration_update"
    MOVE_PLAN_UPDATE = "move_plan_update"
    SENDING_CHECKLIST_UPDATE = "sending_checklist_update"
    RECEIVING_CHECKLIST_UPDATE = "receiving_checklist_update"
    COST_ITEM_ADD = "cost_item_add"
    COST_ITEM_REMOVE = "cost_item_remove"
    TAX_AGENCY_DECISION_RECORD = "tax_agency_decision_record"
    ECONOMIC_AGREEMENT_RECORD = "economic_agreement_record"
    MOVE_CONFIRM = "move_confirm"
    CASE_REVEALED = "case_revealed"
    CASE_CLOSE = "case_close"
    ACCESS_GRANT = "case_access_grant"
    ACCESS_REVOKE = "case_access_revoke"


# ---------------------------------------------------------------------------------------------------------------
# Pure helpers
# ---------------------------------------------------------------------------------------------------------------


def preparation_missing(case: Case) -> list[str]:
    """Return, in Swedish, every preparation item still missing before a request may be sent (rule 2).

    Child items (informed/heard, the children's analysis, custody and contact) are asked only when the
    case has children. An empty list means the preparation is complete.
    """
    raise NotImplementedError


def economic_responsibility_date(move_plan: MovePlan) -> date | None:
    """Return the day economic responsibility passes to the receiving municipality (rule 11).

    Uses the confirmed move date (else the planned one) and an agreed other date if recorded;
    ``None`` while no move date is known.
    """
    raise NotImplementedError


def follow_up_due(move_plan: MovePlan) -> date | None:
    """Return the last day of the joint follow-up meeting (rule 13), ``None`` before the move."""
    raise NotImplementedError


def two_month_end(move_plan: MovePlan) -> date | None:
    """Return the last day the sending municipality must find a new home town (rule 12), ``None`` before the move."""
    raise NotImplementedError


def quota_used(municipality: Municipality, year: int) -> dict[str, int]:
    """Return ``{"received": n, "handed_over": m}`` for ``municipality`` in ``year`` (rule 8)."""
    raise NotImplementedError


def current_move_plan(case: Case) -> MovePlan | None:
    """Return the move plan of the case's current round, if the case has reached agreement."""
    raise NotImplementedError


def allowed_actions(case: Case, user: User) -> set[str]:
    """Return the ``Action`` names ``user`` may take on ``case`` now (drives the buttons and the server checks).

    Request-level actions (withdraw, start acceptance, decline) are listed by ``allowed_request_actions``.
    """
    raise NotImplementedError


def allowed_request_actions(request: Request, user: User) -> set[str]:
    """Return the ``Action`` names ``user`` may take on one ``request`` now."""
    raise NotImplementedError


def can_consent_give(consent: UnitConsent, user: User) -> bool:
    """Return whether ``user`` is the supervisor who may give this unit's consent now (rule 5)."""
    raise NotImplementedError


def recipient_refusal(case: Case, municipality: Municipality) -> str | None:
    """Return why ``municipality`` cannot be asked in this case now (rule 3), or ``None`` if it can.

    Pages use this to explain greyed-out choices; ``requests_send`` uses the same checks.
    """
    raise NotImplementedError


# ---------------------------------------------------------------------------------------------------------------
# Case and preparation (rules 1–2)
# ---------------------------------------------------------------------------------------------------------------


def case_create(
    *,
    actor: User,
    gender: str,
    adult_confirmed: bool,
    new_partner: bool,
    outpatient_manageable: bool,
    children_ages: list[int],
    excluded_municipalities: list[Municipality],
) -> Case:
    """Create a case of the actor's municipality with its Preparation and RequestFormDraft (rule 1).

    The creator is granted ``work_on_case``. Refused unless the person is an adult whose support needs
    can be met in outpatient care.
    """
    raise NotImplementedError


def case_update_target_group(
    *,
    case: Case,
    actor: User,
    gender: str,
    adult_confirmed: bool,
    new_partner: bool,
    outpatient_manageable: bool,
    children_ages: list[int],
    excluded_municipalities: list[Municipality],
) -> Case:
    """Change the target group, the children's ages and the safety exclusions before agreement (rule 1).

    Children whose age is unchanged keep their informed/heard marks.
    """
    raise NotImplementedError


def preparation_update(*, case: Case, actor: User, data: dict[str, Any]) -> Case:
    """Save preparation fields (``data`` holds Preparation field names → values) before agreement (rule 2)."""
    raise NotImplementedError


def child_update(*, child: Child, actor: User, informed: bool, heard: bool) -> Child:
    """Record whether an accompanying child was informed and heard (rule 2)."""
    raise NotImplementedError


def form_draft_update(*, case: Case, actor: User, sections: dict[str, str]) -> Case:
    """Save the request form draft (``sections``: RequestFormSection value → text) before agreement."""
    raise NotImplementedError


# ---------------------------------------------------------------------------------------------------------------
# Requests and decisions (rules 3–7)
# ---------------------------------------------------------------------------------------------------------------


def requests_send(*, case: Case, actor: User, recipients: list[Municipality]) -> list[Request]:
    """Send the case to 1–3 municipalities with the form frozen; reply by 21 days later (rules 2–4).

    Refused while preparation is missing, for the own or an excluded municipality, for one with an open
    request, or when more than three requests would be open.
    """
    raise NotImplementedError


def request_withdraw(*, request: Request, actor: User, reason: str) -> Request:
    """Withdraw an open request with a reason (sending side, at any time while open; rule 7)."""
    raise NotImplementedError


def request_start_acceptance(*, request: Request, actor: User, units: list[str]) -> Request:
    """Start accepting a request: choose the affected units, each of which must consent (rule 5)."""
    raise NotImplementedError


def consent_give(*, consent: UnitConsent, actor: User) -> UnitConsent:
    """Give one unit's consent; the last consent accepts the request (rules 5 and 7).

    Acceptance writes the Decision, supersedes every other open request of the case, sets the case to
    agreed with its receiving municipality, and creates the round's Collaboration and MovePlan.
    """
    raise NotImplementedError


def request_decline(
    *,
    request: Request,
    actor: User,
    ground: str,
    motivation: str,
    resources_description: str = "",
) -> Request:
    """Decline a request in writing with one of the two allowed grounds (rule 6).

    ``quota_received`` is refused while the municipality has received fewer cases this year than its
    quota; ``insufficient_resources`` needs the description of the resources. Housing shortage is never
    a ground.
    """
    raise NotImplementedError


# ---------------------------------------------------------------------------------------------------------------
# Collaboration, move plan and move (rules 9–11)
# ---------------------------------------------------------------------------------------------------------------


def meeting_record(
    *,
    case: Case,
    actor: User,
    kind: str,
    date: date,
    sending_units: list[str],
    receiving_units: list[str],
    notes: str = "",
) -> Meeting:
    """Record a pre-meeting after agreement (rule 9) or the joint follow-up meeting after the move (rule 13)."""
    raise NotImplementedError


def collaboration_update(
    *,
    case: Case,
    actor: User,
    written_consent_on: date | None,
    investigation_started_on: date | None,
    authority_agreements: str,
) -> Case:
    """Record the joint investigation: written consent, the receiving investigation, other authorities (rule 9).

    The receiving municipality's investigation cannot start before the written consent.
    """
    raise NotImplementedError


def move_plan_update(*, case: Case, actor: User, data: dict[str, Any]) -> MovePlan:
    """Save move plan fields before the move (rule 10).

    ``data`` keys: ``who_packs``, ``what_goes``, ``access_before_move``, ``protected_data_applied``,
    ``planned_move_date``, ``sending_checklist`` (sending side only) and ``receiving_checklist``
    (receiving side only), the checklists as ``{item value: bool}``.
    """
    raise NotImplementedError


def cost_item_add(*, case: Case, actor: User, description: str, amount: Decimal | None, payer: str) -> CostItem:
    """Add a cost of the move and who pays it (rules 10–11)."""
    raise NotImplementedError


def cost_item_remove(*, cost_item: CostItem, actor: User) -> None:
    """Remove a cost item of the current move plan."""
    raise NotImplementedError


def tax_agency_decision_record(*, case: Case, actor: User, decided_on: date) -> MovePlan:
    """Record the date of the Tax Agency's decision on protected personal data (rule 10)."""
    raise NotImplementedError


def economic_agreement_record(
    *, case: Case, actor: User, agreed_date: date, note: str = "", recorded_on: date | None = None
) -> MovePlan:
    """Record that the two municipalities agreed another date for economic responsibility (rule 11)."""
    raise NotImplementedError


def move_confirm(*, case: Case, actor: User, moved_on: date) -> MovePlan:
    """Confirm the move on ``moved_on`` (rule 10 gate: not while a protected-data decision is awaited)."""
    raise NotImplementedError


# ---------------------------------------------------------------------------------------------------------------
# After the move and closing (rules 12–14)
# ---------------------------------------------------------------------------------------------------------------


def case_revealed(*, case: Case, actor: User, on: date) -> Case:
    """Record that the new home town was revealed or the person cannot stay (rule 12).

    Within two months of the move the case goes back to the sending side for a new round of requests,
    keeping its history; after that it is the receiving municipality's matter and this is refused.
    """
    raise NotImplementedError


def case_close(*, case: Case, actor: User, outcome: str, not_moved_reason: str = "", note: str = "") -> Case:
    """Close the case and fill its LUSAM record from the case itself (rule 14).

    ``moved`` after the move; ``not_moved`` (with a reason) or ``national`` from any status before the move,
    withdrawing requests still open.
    """
    raise NotImplementedError
