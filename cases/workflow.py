"""The case workflow: every transition of the plan's *Ett ärendes gång*, and its rules, in one module.

Each transition is one keyword-only function that always runs in the same order:

1. may this actor do it (a pure ``can_…`` guard, the same one ``allowed_actions`` uses for buttons);
2. ``transaction.atomic()`` and ``select_for_update()`` on the case (and its requests);
3. is the state right (else ``WorkflowError`` with a Swedish message);
4. change, ``save(update_fields=[…])``;
5. ``record_event(…)`` (ids, dates and choice values only, never free text);
6. side effects with ``transaction.on_commit`` (notifications are sent by ``record_event``).

No other code assigns a status field. Views catch ``WorkflowError`` and show ``error.message`` (at the
form field ``error.field`` when the refusal names one).
Locks are always taken in the same order — case, then its requests, then consents — so that two
transitions on one case wait for each other instead of deadlocking.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from dateutil.relativedelta import relativedelta
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Role, Unit
from audit.models import AuditAction
from audit.services import audit_record
from cases import deadlines
from cases.access import RECEIVING, SENDING, can_manage_access, grant, revoke_outside_sending_side, working_side
from cases.events import EventKind, record_event
from cases.models import (
    OPEN_REQUEST_STATUSES,
    Case,
    CaseEvent,
    CaseStatus,
    Child,
    Collaboration,
    CostItem,
    Decision,
    DecisionOutcome,
    DeclineGround,
    Gender,
    LusamRecord,
    Meeting,
    MeetingKind,
    MovePlan,
    NotMovedReason,
    Outcome,
    PoliceAssessment,
    Preparation,
    ReceivingChecklistItem,
    Request,
    RequestFormDraft,
    RequestFormSection,
    RequestStatus,
    RiskMethod,
    SendingChecklistItem,
    Side,
    UnitConsent,
)
from cases.quota import QuotaUse, quota_use

if TYPE_CHECKING:
    from accounts.models import User
    from municipalities.models import Municipality


class WorkflowError(Exception):
    """A transition that is not allowed; ``message`` is a translated Swedish sentence for the page.

    ``field`` names the argument of the transition the refusal is about, so that a page can show the
    message at the form field of that name; ``None`` when it is about the case or the request as a whole.
    """

    def __init__(self, message: Any, field: str | None = None) -> None:
        self.message = str(message)
        self.field = field
        super().__init__(self.message)


class Action:
    """Names of the actions ``allowed_actions`` returns (mostly the names of the functions below)."""

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


# Messages the tests reuse. Formatted ones take named arguments.
MSG_NOT_ALLOWED = _("Du har inte behörighet att göra detta i ärendet.")
MSG_WRONG_STATE = _("Det går inte att göra detta när ärendet har status ”%(status)s”.")
MSG_NOT_OFFICER = _("Bara handläggare i en kommun kan lägga upp ärenden.")
MSG_NOT_ADULT = _("Målgruppen är vuxna över 18 år: bekräfta att den enskilde har fyllt 18.")
MSG_NOT_OUTPATIENT = _("Målgruppen är personer vars stödbehov kan tillgodoses inom öppenvården.")
MSG_BAD_GENDER = _("Ange om den enskilde är kvinna eller man.")
MSG_BAD_CHILD_AGE = _("Barnens ålder ska anges i hela år mellan 0 och 17.")
MSG_EXCLUDED_HAS_OPEN = _("Återkalla först den öppna förfrågan till %(name)s innan kommunen spärras.")
MSG_UNKNOWN_FIELD = _("Okänt fält: %(field)s.")
MSG_BAD_CHOICE = _("Ogiltigt val för %(field)s.")
MSG_FUTURE_DATE = _("Datumet kan inte ligga i framtiden.")
MSG_CHILD_GONE = _(
    "Ett av barnen finns inte längre i ärendet: målgruppen har ändrats sedan sidan öppnades. "
    "Kontrollera barnen och spara igen."
)
MSG_PREPARATION_MISSING = _("Förfrågan kan inte skickas förrän förberedelsen är klar. Det saknas: %(missing)s")
MSG_FORM_EMPTY = _("Förfrågningsunderlaget är tomt. Fyll i underlaget innan förfrågan skickas.")
MSG_RECIPIENT_COUNT = _("Välj en till tre kommuner att skicka förfrågan till.")
MSG_RECIPIENT_TWICE = _("Samma kommun kan bara väljas en gång.")
MSG_TOO_MANY_OPEN = _(
    "Ett ärende kan ha högst tre öppna förfrågningar samtidigt. Det finns redan %(open)s öppna; "
    "du kan skicka till högst %(left)s till."
)
MSG_OWN_MUNICIPALITY = _("%(name)s är ärendets egen kommun och kan inte tillfrågas.")
MSG_EXCLUDED = _("%(name)s är spärrad i det här ärendet och får aldrig tillfrågas.")
MSG_OPEN_REQUEST = _("%(name)s har redan en öppen förfrågan i ärendet.")
MSG_NOT_PARTICIPATING = _("%(name)s deltar inte i nätverket.")
MSG_OTHER_NETWORK = _("%(name)s tillhör ett annat nätverk.")
MSG_REQUEST_NOT_OPEN = _("Förfrågan är inte längre öppen (status ”%(status)s”).")
MSG_REASON_REQUIRED = _("Ange skälet till att förfrågan återkallas.")
MSG_UNITS_REQUIRED = _("Välj minst en berörd enhet som ska samtycka.")
MSG_BAD_UNIT = _("Okänd enhet.")
MSG_CONSENT_DONE = _("Enheten har redan samtyckt.")
MSG_NOT_CONSENTING = _("Förfrågan väntar inte på samtycken (status ”%(status)s”).")
MSG_CASE_AGREED_ELSEWHERE = _("Ärendet har redan en överenskommelse med en annan kommun.")
MSG_BAD_GROUND = _(
    "Välj en av de två grunder som samverkansplanen tillåter. Bostadsbrist är aldrig en grund för att neka."
)
MSG_MOTIVATION_REQUIRED = _("Ett nej ska vara skriftligt och motiverat: skriv en motivering.")
MSG_RESOURCES_REQUIRED = _("Beskriv kommunens interna resurser och varför de inte kan tillgodose behovet.")
MSG_QUOTA_NOT_REACHED = _(
    "Grunden ”antalet ärenden redan mottaget” kan inte användas: %(name)s har tagit emot %(received)s "
    "av %(quota)s ärenden under %(year)s."
)
MSG_BAD_MEETING_KIND = _("Okänd mötestyp.")
MSG_FOLLOW_UP_BEFORE_MOVE = _("Uppföljningsmötet kan inte hållas före flytten.")
MSG_INVESTIGATION_BEFORE_CONSENT = _(
    "Mottagande kommuns utredning kan inledas först efter den enskildes skriftliga samtycke."
)
MSG_CHECKLIST_SIDE = _("Varje kommun fyller bara i sin egen säkerhetsgenomgång.")
MSG_DESCRIPTION_REQUIRED = _("Beskriv kostnaden.")
MSG_BAD_AMOUNT = _("Beloppet kan inte vara negativt.")
MSG_BAD_PAYER = _("Ange vilken kommun som betalar.")
MSG_COST_NOT_IN_PLAN = _("Kostnaden hör inte till ärendets nuvarande flyttplan.")
MSG_NO_MOVE_PLAN = _("Ärendet har ingen flyttplan ännu.")
MSG_TAX_AGENCY_PENDING = _(
    "Skyddade personuppgifter har sökts: flytten kan inte bekräftas förrän Skatteverkets beslut är registrerat."
)
MSG_REVEALED_DATE = _("Datumet ska ligga mellan flyttdagen och i dag.")
MSG_REVEALED_TOO_LATE = _(
    "Mer än två månader har gått sedan flytten (%(moved_on)s). Ärendet är nu mottagande kommuns: "
    "det är mottagande kommun som ansvarar för ett nytt boende."
)
MSG_BAD_OUTCOME = _("Välj ett utfall.")
MSG_REASON_CHOICE_REQUIRED = _("Välj varför flytten inte blev av.")
MSG_CLOSE_MOVED_BEFORE_MOVE = _("Ett ärende kan avslutas som genomfört först när flytten är bekräftad.")
MSG_CLOSE_NOT_MOVED_AFTER_MOVE = _(
    "Flytten är genomförd. Avsluta ärendet som genomfört, eller anmäl inom två månader att den nya bostadsorten röjts."
)
MSG_CLOSED_ON_CASE_END = _("Ärendet avslutades.")

S, R = SENDING, RECEIVING
_P, _RQ, _A, _M = CaseStatus.PREPARATION, CaseStatus.REQUESTING, CaseStatus.AGREED, CaseStatus.MOVED

# The allowed transitions as data: action → (sides that may do it, case statuses in which it may be done).
CASE_RULES: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    Action.TARGET_GROUP_UPDATE: (frozenset({S}), frozenset({_P, _RQ})),
    Action.PREPARATION_UPDATE: (frozenset({S}), frozenset({_P, _RQ})),
    Action.CHILD_UPDATE: (frozenset({S}), frozenset({_P, _RQ})),
    Action.FORM_DRAFT_UPDATE: (frozenset({S}), frozenset({_P, _RQ})),
    Action.REQUESTS_SEND: (frozenset({S}), frozenset({_P, _RQ})),
    Action.PRE_MEETING_RECORD: (frozenset({S, R}), frozenset({_A})),
    Action.FOLLOW_UP_RECORD: (frozenset({S, R}), frozenset({_M})),
    Action.COLLABORATION_UPDATE: (frozenset({S, R}), frozenset({_A, _M})),
    Action.MOVE_PLAN_UPDATE: (frozenset({S, R}), frozenset({_A})),
    Action.SENDING_CHECKLIST_UPDATE: (frozenset({S}), frozenset({_A})),
    Action.RECEIVING_CHECKLIST_UPDATE: (frozenset({R}), frozenset({_A})),
    Action.COST_ITEM_ADD: (frozenset({S, R}), frozenset({_A, _M})),
    Action.COST_ITEM_REMOVE: (frozenset({S, R}), frozenset({_A, _M})),
    Action.TAX_AGENCY_DECISION_RECORD: (frozenset({S, R}), frozenset({_A})),
    Action.ECONOMIC_AGREEMENT_RECORD: (frozenset({S, R}), frozenset({_A, _M})),
    Action.MOVE_CONFIRM: (frozenset({S, R}), frozenset({_A})),
    Action.CASE_REVEALED: (frozenset({S, R}), frozenset({_M})),
    Action.CASE_CLOSE: (frozenset({S}), frozenset({_P, _RQ, _A, _M})),
}

# Request actions: action → request statuses in which it may be done (the case must still be requesting).
REQUEST_RULES: dict[str, frozenset[str]] = {
    Action.REQUEST_WITHDRAW: frozenset(OPEN_REQUEST_STATUSES),
    Action.REQUEST_START_ACCEPTANCE: frozenset({RequestStatus.SENT}),
    Action.REQUEST_DECLINE: frozenset(OPEN_REQUEST_STATUSES),
}

MAX_OPEN_REQUESTS = 3

PREPARATION_FIELDS = frozenset(
    field.name for field in Preparation._meta.get_fields() if field.concrete and field.name not in ("id", "case")
)
MOVE_PLAN_FIELDS = frozenset(
    {
        "who_packs",
        "what_goes",
        "access_before_move",
        "protected_data_applied",
        "planned_move_date",
        "sending_checklist",
        "receiving_checklist",
    }
)


# ---------------------------------------------------------------------------------------------------------------
# Pure helpers
# ---------------------------------------------------------------------------------------------------------------


def preparation_missing(case: Case) -> list[str]:
    """Return, in Swedish, every preparation item still missing before a request may be sent (rule 2).

    Child items (informed/heard, the children's analysis, custody and contact) are asked only when the
    case has children. An empty list means the preparation is complete.
    """
    # Read fresh rows: callers often hold a case whose related objects were cached before an update.
    prep = Preparation.objects.get(case_id=case.pk)
    children = list(Child.objects.filter(case_id=case.pk))
    missing: list[str] = []
    if not case.adult_confirmed:
        missing.append(str(_("bekräftelse att den enskilde är över 18 år")))
    if not case.outpatient_manageable:
        missing.append(str(_("bedömning att stödbehoven kan tillgodoses inom öppenvården")))
    if not prep.risk_method:
        missing.append(str(_("metod för strukturerad riskbedömning (FREDA, SARA, PATRIARK eller annan)")))
    elif prep.risk_method == RiskMethod.OTHER and not prep.risk_method_other.strip():
        missing.append(str(_("namnet på den andra metoden för riskbedömning")))
    if prep.risk_assessed_on is None:
        missing.append(str(_("datum för riskbedömningen")))
    if not prep.police_assessment:
        missing.append(str(_("polisens bedömning (inhämtad, eller inte aktuell i ärendet)")))
    elif prep.police_assessment == PoliceAssessment.OBTAINED and prep.police_assessed_on is None:
        missing.append(str(_("datum för polisens bedömning")))
    if prep.consent_given_on is None:
        missing.append(str(_("den enskildes samtycke")))
    for number, child in enumerate(children, start=1):
        if not child.informed:
            missing.append(str(_("barn %(n)s (%(age)s år) har informerats") % {"n": number, "age": child.age}))
        if not child.heard:
            missing.append(
                str(_("barn %(n)s (%(age)s år) har fått lämna synpunkter") % {"n": number, "age": child.age})
            )
    if not prep.needs_investigated:
        missing.append(str(_("utredning av behov av skydd och stöd")))
    if not prep.adult_analysis_done:
        missing.append(str(_("separat analys för vuxna")))
    if children and not prep.children_analysis_done:
        missing.append(str(_("separat analys för barn")))
    if children and not prep.custody_assessed:
        missing.append(str(_("bedömning av vårdnad och umgänge")))
    if prep.committee_assessed_on is None:
        missing.append(str(_("datum för socialnämndens bedömning")))
    if not prep.committee_move_necessary:
        missing.append(str(_("socialnämndens bedömning att byte av bostadsort är nödvändigt")))
    if not prep.committee_within_county:
        missing.append(str(_("socialnämndens bedömning att skyddsbehovet inte kräver boende utanför länet")))
    return missing


def current_move_plan(case: Case) -> MovePlan | None:
    """Return the move plan of the case's current round, if the case has reached agreement."""
    return MovePlan.objects.filter(case_id=case.pk, round=case.round).first()


def economic_responsibility_date(move_plan: MovePlan) -> date | None:
    """Return the day economic responsibility passes to the receiving municipality (rule 11).

    Uses the confirmed move date (else the planned one) and an agreed other date if recorded;
    ``None`` while no date is known.
    """
    moved_on = move_plan.moved_on or move_plan.planned_move_date
    if moved_on is None:
        return move_plan.economic_agreement_date
    return deadlines.economic_responsibility_date(moved_on, move_plan.economic_agreement_date)


def follow_up_due(move_plan: MovePlan) -> date | None:
    """Return the last day of the joint follow-up meeting (rule 13), ``None`` before the move."""
    return deadlines.follow_up_due(move_plan.moved_on) if move_plan.moved_on else None


def two_month_end(move_plan: MovePlan) -> date | None:
    """Return the last day the sending municipality must find a new home town (rule 12), ``None`` before the move."""
    return deadlines.two_month_end(move_plan.moved_on) if move_plan.moved_on else None


def quota_used(municipality: Municipality, year: int) -> dict[str, int]:
    """Return ``{"received": n, "handed_over": m}`` for ``municipality`` in ``year`` (rule 8)."""
    use = quota_use(year=year, municipality_ids=[municipality.pk]).get(municipality.pk, QuotaUse())
    return {"received": use.received, "handed_over": use.handed_over}


def takeover_window(case: Case) -> tuple[date, date] | None:
    """Return when a takeover is normally expected: two to four months after the first request (rule 15).

    Informational only: nothing in the network is an emergency service.
    """
    first = case.requests.order_by("sent_at").values_list("sent_at", flat=True).first()
    if first is None:
        return None
    sent_on = timezone.localdate(first)
    return sent_on + relativedelta(months=2), sent_on + relativedelta(months=4)


def _is_officer(user: User) -> bool:
    return bool(
        getattr(user, "is_authenticated", False)
        and user.is_active
        and user.role == Role.OFFICER
        and user.municipality_id is not None
    )


def _state_allows(action: str, case: Case) -> bool:
    return case.status in CASE_RULES[action][1]


def _side_allows(action: str, side: str | None) -> bool:
    return side is not None and side in CASE_RULES[action][0]


def can_act(action: str, case: Case, user: User) -> bool:
    """Return whether ``user`` may take the case-level ``action`` on ``case`` now (actor and state)."""
    return _side_allows(action, working_side(case, user)) and _state_allows(action, case)


def allowed_actions(case: Case, user: User) -> set[str]:
    """Return the ``Action`` names ``user`` may take on ``case`` now (drives the buttons and the server checks).

    Request-level actions (withdraw, start acceptance, decline) are listed by ``allowed_request_actions``.
    """
    side = working_side(case, user)
    if side is None:
        return set()
    actions = {action for action in CASE_RULES if _side_allows(action, side) and _state_allows(action, case)}
    if can_manage_access(case, user):
        actions |= {Action.ACCESS_GRANT, Action.ACCESS_REVOKE}
    return actions


def _request_side(request: Request, user: User) -> str | None:
    if not _is_officer(user):
        return None
    if user.municipality_id == request.recipient_id:
        return RECEIVING
    if user.municipality_id == request.sender_id and working_side(request.case, user) == SENDING:
        return SENDING
    return None


def _request_actor_allows(action: str, request: Request, user: User) -> bool:
    side = _request_side(request, user)
    if action == Action.REQUEST_WITHDRAW:
        return side == SENDING
    return side == RECEIVING


def _request_state_allows(action: str, request: Request, case: Case) -> bool:
    return request.status in REQUEST_RULES[action] and case.status == CaseStatus.REQUESTING


def allowed_request_actions(request: Request, user: User) -> set[str]:
    """Return the ``Action`` names ``user`` may take on one ``request`` now."""
    return {
        action
        for action in REQUEST_RULES
        if _request_actor_allows(action, request, user) and _request_state_allows(action, request, request.case)
    }


def _consent_actor_allows(consent: UnitConsent, user: User) -> bool:
    return bool(
        getattr(user, "is_authenticated", False)
        and user.is_active
        and user.role == Role.SUPERVISOR
        and user.municipality_id is not None
        and user.municipality_id == consent.request.recipient_id
        and user.unit == consent.unit
    )


def can_consent_give(consent: UnitConsent, user: User) -> bool:
    """Return whether ``user`` is the supervisor who may give this unit's consent now (rule 5)."""
    return (
        _consent_actor_allows(consent, user)
        and consent.consented_at is None
        and consent.request.status == RequestStatus.CONSENTING
        and consent.request.case.status == CaseStatus.REQUESTING
    )


def recipient_refusal(case: Case, municipality: Municipality) -> str | None:
    """Return why ``municipality`` cannot be asked in this case now (rule 3), or ``None`` if it can.

    Pages use this to explain greyed-out choices; ``requests_send`` uses the same checks.
    """
    open_ids = set(
        Request.objects.filter(case_id=case.pk, status__in=OPEN_REQUEST_STATUSES).values_list("recipient_id", flat=True)
    )
    excluded_ids = set(case.excluded_municipalities.values_list("pk", flat=True))
    return _refusal(case, municipality, open_ids, excluded_ids)


def _refusal(case: Case, municipality: Municipality, open_ids: set[int], excluded_ids: set[int]) -> str | None:
    names = {"name": municipality.name}
    if municipality.pk == case.sending_municipality_id:
        return str(MSG_OWN_MUNICIPALITY % names)
    if municipality.pk in excluded_ids:
        return str(MSG_EXCLUDED % names)
    if municipality.network_id != case.sending_municipality.network_id:
        return str(MSG_OTHER_NETWORK % names)
    if not municipality.participates:
        return str(MSG_NOT_PARTICIPATING % names)
    if municipality.pk in open_ids:
        return str(MSG_OPEN_REQUEST % names)
    return None


# ---------------------------------------------------------------------------------------------------------------
# Shared steps of every transition
# ---------------------------------------------------------------------------------------------------------------


def _check_actor(action: str, case: Case, actor: User) -> str:
    side = working_side(case, actor)
    if not _side_allows(action, side):
        raise WorkflowError(MSG_NOT_ALLOWED)
    return side  # type: ignore[return-value]


def _lock_case(case_id: int) -> Case:
    return Case.objects.select_for_update().get(pk=case_id)


def _check_state(action: str, case: Case) -> None:
    if not _state_allows(action, case):
        raise WorkflowError(MSG_WRONG_STATE % {"status": case.get_status_display()})


def _begin(action: str, case: Case, actor: User) -> tuple[Case, str]:
    """Check the actor, lock the case, check the actor again on the fresh row and the state.

    Call inside ``transaction.atomic()``. The second actor check matters: the case may have changed
    sides (a new round) while this transaction waited for the lock.
    """
    locked = _lock_case(case.pk)
    side = _check_actor(action, locked, actor)
    _check_state(action, locked)
    return locked, side


def _not_future(value: date | None, field: str) -> None:
    if value is not None and value > timezone.localdate():
        raise WorkflowError(MSG_FUTURE_DATE, field=field)


def _validate_target_group(gender: str, adult_confirmed: bool, outpatient_manageable: bool, children_ages) -> None:
    if gender not in Gender.values:
        raise WorkflowError(MSG_BAD_GENDER, field="gender")
    if not adult_confirmed:
        raise WorkflowError(MSG_NOT_ADULT, field="adult_confirmed")
    if not outpatient_manageable:
        raise WorkflowError(MSG_NOT_OUTPATIENT, field="outpatient_manageable")
    for age in children_ages:
        if isinstance(age, bool) or not isinstance(age, int) or not 0 <= age <= 17:
            raise WorkflowError(MSG_BAD_CHILD_AGE, field="children_ages")


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
    if not _is_officer(actor):
        raise WorkflowError(MSG_NOT_OFFICER)
    _validate_target_group(gender, adult_confirmed, outpatient_manageable, children_ages)
    with transaction.atomic():
        case = Case.objects.create(
            sending_municipality_id=actor.municipality_id,
            created_by=actor,
            gender=gender,
            adult_confirmed=adult_confirmed,
            new_partner=new_partner,
            outpatient_manageable=outpatient_manageable,
        )
        case.excluded_municipalities.set([m for m in excluded_municipalities if m.pk != actor.municipality_id])
        Preparation.objects.create(case=case)
        RequestFormDraft.objects.create(case=case)
        Child.objects.bulk_create(Child(case=case, age=age) for age in children_ages)
        grant(case=case, user=actor)
        record_event(
            case=case,
            kind=EventKind.CASE_CREATED,
            actor=actor,
            data={"children": len(children_ages), "gender": gender},
        )
        audit_record(action=AuditAction.GRANT, user=actor, obj=actor, case_id=case.pk)
    return case


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
    _check_actor(Action.TARGET_GROUP_UPDATE, case, actor)
    with transaction.atomic():
        case, _side = _begin(Action.TARGET_GROUP_UPDATE, case, actor)
        _validate_target_group(gender, adult_confirmed, outpatient_manageable, children_ages)
        excluded_ids = {m.pk for m in excluded_municipalities if m.pk != case.sending_municipality_id}
        open_to_excluded = (
            Request.objects.filter(case=case, status__in=OPEN_REQUEST_STATUSES, recipient_id__in=excluded_ids)
            .select_related("recipient")
            .first()
        )
        if open_to_excluded is not None:
            raise WorkflowError(
                MSG_EXCLUDED_HAS_OPEN % {"name": open_to_excluded.recipient.name}, field="excluded_municipalities"
            )
        values = {
            "gender": gender,
            "adult_confirmed": adult_confirmed,
            "new_partner": new_partner,
            "outpatient_manageable": outpatient_manageable,
        }
        changed = [name for name, value in values.items() if getattr(case, name) != value]
        for name in changed:
            setattr(case, name, values[name])
        if changed:
            case.save(update_fields=changed)
        # Keep children whose age is still listed (with their informed/heard marks); add and remove the rest.
        wanted = sorted(children_ages)
        kept: list[int] = []
        for child in list(case.children.order_by("pk")):
            if child.age in wanted:
                wanted.remove(child.age)
                kept.append(child.pk)
            else:
                child.delete()
                changed.append("children")
        if wanted:
            Child.objects.bulk_create(Child(case=case, age=age) for age in wanted)
            changed.append("children")
        if set(case.excluded_municipalities.values_list("pk", flat=True)) != excluded_ids:
            case.excluded_municipalities.set(excluded_ids)
            changed.append("excluded_municipalities")
        record_event(
            case=case,
            kind=EventKind.TARGET_GROUP_UPDATED,
            actor=actor,
            data={"fields": sorted(set(changed))},
        )
    return case


def preparation_update(*, case: Case, actor: User, data: dict[str, Any]) -> Case:
    """Save preparation fields (``data`` holds Preparation field names → values) before agreement (rule 2)."""
    _check_actor(Action.PREPARATION_UPDATE, case, actor)
    for field in data:
        if field not in PREPARATION_FIELDS:
            raise WorkflowError(MSG_UNKNOWN_FIELD % {"field": field})
    with transaction.atomic():
        case, _side = _begin(Action.PREPARATION_UPDATE, case, actor)
        prep = Preparation.objects.select_for_update().get(case=case)
        for name, value in data.items():
            field = Preparation._meta.get_field(name)
            if field.choices and value and value not in {choice for choice, _label in field.choices}:
                raise WorkflowError(MSG_BAD_CHOICE % {"field": field.verbose_name}, field=name)
            if isinstance(value, date):
                _not_future(value, name)
        changed = sorted(name for name, value in data.items() if getattr(prep, name) != value)
        for name in changed:
            setattr(prep, name, data[name])
        if changed:
            prep.save(update_fields=changed)
            record_event(case=case, kind=EventKind.PREPARATION_UPDATED, actor=actor, data={"fields": changed})
    return case


def child_update(*, child: Child, actor: User, informed: bool, heard: bool) -> Child:
    """Record whether an accompanying child was informed and heard (rule 2).

    Refused when the child is no longer part of the case (the target group changed meanwhile).
    """
    _check_actor(Action.CHILD_UPDATE, child.case, actor)
    with transaction.atomic():
        case, _side = _begin(Action.CHILD_UPDATE, child.case, actor)
        child = Child.objects.select_for_update().filter(pk=child.pk, case=case).first()
        if child is None:
            raise WorkflowError(MSG_CHILD_GONE)
        child.informed, child.heard = bool(informed), bool(heard)
        child.save(update_fields=["informed", "heard"])
        record_event(
            case=case,
            kind=EventKind.PREPARATION_UPDATED,
            actor=actor,
            data={"child_id": child.pk, "informed": child.informed, "heard": child.heard},
        )
    return child


def form_draft_update(*, case: Case, actor: User, sections: dict[str, str]) -> Case:
    """Save the request form draft (``sections``: RequestFormSection value → text) before agreement."""
    _check_actor(Action.FORM_DRAFT_UPDATE, case, actor)
    for name in sections:
        if name not in RequestFormSection.values:
            raise WorkflowError(MSG_UNKNOWN_FIELD % {"field": name})
    with transaction.atomic():
        case, _side = _begin(Action.FORM_DRAFT_UPDATE, case, actor)
        draft = RequestFormDraft.objects.select_for_update().get(case=case)
        changed = sorted(name for name, text in sections.items() if getattr(draft, name) != (text or ""))
        for name in changed:
            setattr(draft, name, sections[name] or "")
        if changed:
            draft.save(update_fields=[*changed, "updated_at"])
            record_event(case=case, kind=EventKind.FORM_UPDATED, actor=actor, data={"sections": changed})
    return case


# ---------------------------------------------------------------------------------------------------------------
# Requests and decisions (rules 3–7)
# ---------------------------------------------------------------------------------------------------------------


def requests_send(*, case: Case, actor: User, recipients: list[Municipality]) -> list[Request]:
    """Send the case to 1–3 municipalities with the form frozen; reply by 21 days later (rules 2–4).

    Refused while preparation is missing, for the own or an excluded municipality, for one with an open
    request, or when more than three requests would be open.
    """
    _check_actor(Action.REQUESTS_SEND, case, actor)
    if not 1 <= len(recipients) <= MAX_OPEN_REQUESTS:
        raise WorkflowError(MSG_RECIPIENT_COUNT, field="recipients")
    if len({m.pk for m in recipients}) != len(recipients):
        raise WorkflowError(MSG_RECIPIENT_TWICE, field="recipients")
    with transaction.atomic():
        case, _side = _begin(Action.REQUESTS_SEND, case, actor)
        open_requests = list(
            Request.objects.select_for_update().filter(case=case, status__in=OPEN_REQUEST_STATUSES).order_by("pk")
        )
        missing = preparation_missing(case)
        if missing:
            raise WorkflowError(MSG_PREPARATION_MISSING % {"missing": "; ".join(missing)})
        form = RequestFormDraft.objects.get(case=case).as_sections()
        if not any(text.strip() for text in form.values()):
            raise WorkflowError(MSG_FORM_EMPTY)
        if len(open_requests) + len(recipients) > MAX_OPEN_REQUESTS:
            raise WorkflowError(
                MSG_TOO_MANY_OPEN % {"open": len(open_requests), "left": MAX_OPEN_REQUESTS - len(open_requests)},
                field="recipients",
            )
        open_ids = {r.recipient_id for r in open_requests}
        excluded_ids = set(case.excluded_municipalities.values_list("pk", flat=True))
        for municipality in recipients:
            refusal = _refusal(case, municipality, open_ids, excluded_ids)
            if refusal:
                raise WorkflowError(refusal, field="recipients")
        now = timezone.now()
        reply_by = deadlines.reply_by(timezone.localdate(now))
        sent = []
        for municipality in sorted(recipients, key=lambda m: m.name):
            request = Request.objects.create(
                case=case,
                round=case.round,
                sender_id=case.sending_municipality_id,
                recipient=municipality,
                status=RequestStatus.SENT,
                sent_at=now,
                sent_by=actor,
                reply_by=reply_by,
                form=form,
            )
            record_event(
                case=case,
                kind=EventKind.REQUEST_SENT,
                actor=actor,
                request=request,
                data={"recipient_id": municipality.pk, "reply_by": reply_by.isoformat()},
            )
            sent.append(request)
        if case.status == CaseStatus.PREPARATION:
            case.status = CaseStatus.REQUESTING
            case.save(update_fields=["status"])
    return sent


def _begin_request(action: str, request: Request, actor: User) -> tuple[Case, Request]:
    """Check the actor, lock case then request, check actor and state again; call inside a transaction."""
    locked_case = _lock_case(request.case_id)
    locked = Request.objects.select_for_update().get(pk=request.pk)
    locked.case = locked_case
    if not _request_actor_allows(action, locked, actor):
        raise WorkflowError(MSG_NOT_ALLOWED)
    if locked.status not in REQUEST_RULES[action]:
        raise WorkflowError(MSG_REQUEST_NOT_OPEN % {"status": locked.get_status_display()})
    if locked_case.status != CaseStatus.REQUESTING:
        if locked_case.status == CaseStatus.AGREED:
            raise WorkflowError(MSG_CASE_AGREED_ELSEWHERE)
        raise WorkflowError(MSG_WRONG_STATE % {"status": locked_case.get_status_display()})
    return locked_case, locked


def request_withdraw(*, request: Request, actor: User, reason: str) -> Request:
    """Withdraw an open request with a reason (sending side, at any time while open; rule 7).

    The recipient is told at once through the timeline event's notification.
    """
    if not _request_actor_allows(Action.REQUEST_WITHDRAW, request, actor):
        raise WorkflowError(MSG_NOT_ALLOWED)
    with transaction.atomic():
        case, request = _begin_request(Action.REQUEST_WITHDRAW, request, actor)
        if not (reason or "").strip():
            raise WorkflowError(MSG_REASON_REQUIRED, field="reason")
        _close_request(request, RequestStatus.WITHDRAWN, reason.strip())
        record_event(
            case=case,
            kind=EventKind.REQUEST_WITHDRAWN,
            actor=actor,
            request=request,
            data={"recipient_id": request.recipient_id},
        )
    return request


def _close_request(request: Request, status: str, reason: str = "") -> None:
    request.status = status
    request.closed_at = timezone.now()
    request.close_reason = reason
    request.save(update_fields=["status", "closed_at", "close_reason"])


def request_start_acceptance(*, request: Request, actor: User, units: list[str]) -> Request:
    """Start accepting a request: choose the affected units, each of which must consent (rule 5)."""
    if not _request_actor_allows(Action.REQUEST_START_ACCEPTANCE, request, actor):
        raise WorkflowError(MSG_NOT_ALLOWED)
    chosen = list(dict.fromkeys(units))
    if not chosen:
        raise WorkflowError(MSG_UNITS_REQUIRED, field="units")
    if any(unit not in Unit.values for unit in chosen):
        raise WorkflowError(MSG_BAD_UNIT, field="units")
    with transaction.atomic():
        case, request = _begin_request(Action.REQUEST_START_ACCEPTANCE, request, actor)
        request.status = RequestStatus.CONSENTING
        request.save(update_fields=["status"])
        UnitConsent.objects.bulk_create(UnitConsent(request=request, unit=unit) for unit in chosen)
        record_event(
            case=case,
            kind=EventKind.ACCEPTANCE_STARTED,
            actor=actor,
            request=request,
            data={"recipient_id": request.recipient_id, "units": chosen},
        )
    return request


def consent_give(*, consent: UnitConsent, actor: User) -> UnitConsent:
    """Give one unit's consent; the last consent accepts the request (rules 5 and 7).

    Acceptance writes the Decision, supersedes every other open request of the case, sets the case to
    agreed with its receiving municipality, and creates the round's Collaboration and MovePlan.
    """
    if not _consent_actor_allows(consent, actor):
        raise WorkflowError(MSG_NOT_ALLOWED)
    with transaction.atomic():
        case = _lock_case(consent.request.case_id)
        requests = {
            r.pk: r for r in Request.objects.select_for_update().filter(case=case).order_by("pk")
        }  # every request of the case: acceptance may supersede the others
        request = requests[consent.request_id]
        request.case = case
        consents = list(UnitConsent.objects.select_for_update().filter(request=request).order_by("pk"))
        consent = next(c for c in consents if c.pk == consent.pk)
        consent.request = request
        if not _consent_actor_allows(consent, actor):
            raise WorkflowError(MSG_NOT_ALLOWED)
        if case.status != CaseStatus.REQUESTING:
            if case.status == CaseStatus.AGREED:
                raise WorkflowError(MSG_CASE_AGREED_ELSEWHERE)
            raise WorkflowError(MSG_WRONG_STATE % {"status": case.get_status_display()})
        if request.status != RequestStatus.CONSENTING:
            raise WorkflowError(MSG_NOT_CONSENTING % {"status": request.get_status_display()})
        if consent.consented_at is not None:
            raise WorkflowError(MSG_CONSENT_DONE)
        consent.supervisor = actor
        consent.consented_at = timezone.now()
        consent.save(update_fields=["supervisor", "consented_at"])
        record_event(
            case=case,
            kind=EventKind.CONSENT_GIVEN,
            actor=actor,
            request=request,
            data={"consent_id": consent.pk, "unit": consent.unit},
        )
        if all(c.consented_at is not None for c in consents):
            others = [r for r in requests.values() if r.pk != request.pk and r.status in OPEN_REQUEST_STATUSES]
            _accept(case=case, request=request, others=others, actor=actor)
    return consent


def _accept(*, case: Case, request: Request, others: list[Request], actor: User) -> None:
    """Accept ``request`` (all its units consented); the case and the other requests are locked."""
    now = timezone.now()
    Decision.objects.create(request=request, outcome=DecisionOutcome.ACCEPT, decided_by=actor, decided_at=now)
    _close_request(request, RequestStatus.ACCEPTED)
    record_event(
        case=case,
        kind=EventKind.REQUEST_ACCEPTED,
        actor=actor,
        request=request,
        data={"recipient_id": request.recipient_id},
    )
    for other in others:
        _close_request(other, RequestStatus.SUPERSEDED)
        record_event(
            case=case,
            kind=EventKind.REQUEST_SUPERSEDED,
            actor=actor,
            request=other,
            data={"recipient_id": other.recipient_id, "accepted_request_id": request.pk},
        )
    case.status = CaseStatus.AGREED
    case.receiving_municipality_id = request.recipient_id
    case.save(update_fields=["status", "receiving_municipality"])
    Collaboration.objects.get_or_create(case=case, round=case.round)
    MovePlan.objects.get_or_create(case=case, round=case.round)
    # The officer who started the acceptance goes on working on the case with the sending side
    # (a contact person sees it through their office and needs no grant).
    started = (
        CaseEvent.objects.filter(request=request, kind=EventKind.ACCEPTANCE_STARTED)
        .select_related("actor")
        .order_by("-at", "-pk")
        .first()
    )
    officer = started.actor if started else None
    if (
        officer is not None
        and officer.is_active
        and not officer.is_contact_person
        and officer.municipality_id == request.recipient_id
    ):
        grant(case=case, user=officer)
        record_event(
            case=case,
            kind=EventKind.ACCESS_GRANTED,
            actor=actor,
            data={"user_id": officer.pk, "automatic": True},
        )
        audit_record(action=AuditAction.GRANT, user=actor, obj=officer, case_id=case.pk)


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
    if not _request_actor_allows(Action.REQUEST_DECLINE, request, actor):
        raise WorkflowError(MSG_NOT_ALLOWED)
    with transaction.atomic():
        case, request = _begin_request(Action.REQUEST_DECLINE, request, actor)
        if ground not in DeclineGround.values:
            raise WorkflowError(MSG_BAD_GROUND, field="ground")
        motivation = (motivation or "").strip()
        resources_description = (resources_description or "").strip()
        if not motivation:
            raise WorkflowError(MSG_MOTIVATION_REQUIRED, field="motivation")
        if ground == DeclineGround.INSUFFICIENT_RESOURCES and not resources_description:
            raise WorkflowError(MSG_RESOURCES_REQUIRED, field="resources_description")
        if ground == DeclineGround.QUOTA_RECEIVED:
            resources_description = ""
            recipient = request.recipient
            year = timezone.localdate().year
            received = quota_used(recipient, year)["received"]
            quota = recipient.quota_for(year)
            if received < quota:
                counts = {"name": recipient.name, "received": received, "quota": quota, "year": year}
                raise WorkflowError(MSG_QUOTA_NOT_REACHED % counts, field="ground")
        Decision.objects.create(
            request=request,
            outcome=DecisionOutcome.DECLINE,
            ground=ground,
            motivation=motivation,
            resources_description=resources_description,
            decided_by=actor,
            decided_at=timezone.now(),
        )
        _close_request(request, RequestStatus.DECLINED)
        record_event(
            case=case,
            kind=EventKind.REQUEST_DECLINED,
            actor=actor,
            request=request,
            data={"recipient_id": request.recipient_id, "ground": ground},
        )
    return request


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
    if kind not in MeetingKind.values:
        raise WorkflowError(MSG_BAD_MEETING_KIND)
    action = Action.PRE_MEETING_RECORD if kind == MeetingKind.PRE_MEETING else Action.FOLLOW_UP_RECORD
    _check_actor(action, case, actor)
    for field, units in (("sending_units", sending_units), ("receiving_units", receiving_units)):
        if any(unit not in Unit.values for unit in units):
            raise WorkflowError(MSG_BAD_UNIT, field=field)
    with transaction.atomic():
        case, _side = _begin(action, case, actor)
        if kind == MeetingKind.FOLLOW_UP:
            plan = current_move_plan(case)
            if plan is None or plan.moved_on is None or date < plan.moved_on:
                raise WorkflowError(MSG_FOLLOW_UP_BEFORE_MOVE, field="date")
        meeting = Meeting.objects.create(
            case=case,
            round=case.round,
            kind=kind,
            date=date,
            sending_units=list(dict.fromkeys(sending_units)),
            receiving_units=list(dict.fromkeys(receiving_units)),
            notes=(notes or "").strip(),
            recorded_by=actor,
        )
        record_event(
            case=case,
            kind=EventKind.MEETING_RECORDED,
            actor=actor,
            data={"meeting_id": meeting.pk, "kind": kind, "date": date.isoformat()},
        )
    return meeting


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
    _check_actor(Action.COLLABORATION_UPDATE, case, actor)
    with transaction.atomic():
        case, _side = _begin(Action.COLLABORATION_UPDATE, case, actor)
        _not_future(written_consent_on, "written_consent_on")
        _not_future(investigation_started_on, "investigation_started_on")
        if investigation_started_on is not None and (
            written_consent_on is None or investigation_started_on < written_consent_on
        ):
            raise WorkflowError(MSG_INVESTIGATION_BEFORE_CONSENT, field="investigation_started_on")
        collaboration, _created = Collaboration.objects.select_for_update().get_or_create(case=case, round=case.round)
        values = {
            "written_consent_on": written_consent_on,
            "investigation_started_on": investigation_started_on,
            "authority_agreements": (authority_agreements or "").strip(),
        }
        changed = sorted(name for name, value in values.items() if getattr(collaboration, name) != value)
        for name in changed:
            setattr(collaboration, name, values[name])
        if changed:
            collaboration.save(update_fields=changed)
            record_event(case=case, kind=EventKind.COLLABORATION_UPDATED, actor=actor, data={"fields": changed})
    return case


def _lock_move_plan(case: Case) -> MovePlan:
    plan = MovePlan.objects.select_for_update().filter(case=case, round=case.round).first()
    if plan is None:
        raise WorkflowError(MSG_NO_MOVE_PLAN)
    return plan


def _clean_checklist(value: dict, choices: type, field: str) -> dict[str, bool]:
    if not isinstance(value, dict) or any(key not in choices.values for key in value):
        raise WorkflowError(MSG_BAD_CHOICE % {"field": _("säkerhetsgenomgång")}, field=field)
    return {key: bool(value.get(key, False)) for key in choices.values}


def move_plan_update(*, case: Case, actor: User, data: dict[str, Any]) -> MovePlan:
    """Save move plan fields before the move (rule 10).

    ``data`` keys: ``who_packs``, ``what_goes``, ``access_before_move``, ``protected_data_applied``,
    ``planned_move_date``, ``sending_checklist`` (sending side only) and ``receiving_checklist``
    (receiving side only), the checklists as ``{item value: bool}``.
    """
    side = _check_actor(Action.MOVE_PLAN_UPDATE, case, actor)
    for name in data:
        if name not in MOVE_PLAN_FIELDS:
            raise WorkflowError(MSG_UNKNOWN_FIELD % {"field": name})
    if ("sending_checklist" in data and side != SENDING) or ("receiving_checklist" in data and side != RECEIVING):
        raise WorkflowError(MSG_CHECKLIST_SIDE)
    with transaction.atomic():
        case, side = _begin(Action.MOVE_PLAN_UPDATE, case, actor)
        if ("sending_checklist" in data and side != SENDING) or ("receiving_checklist" in data and side != RECEIVING):
            raise WorkflowError(MSG_CHECKLIST_SIDE)
        plan = _lock_move_plan(case)
        values = dict(data)
        if "sending_checklist" in values:
            values["sending_checklist"] = _clean_checklist(
                values["sending_checklist"], SendingChecklistItem, "sending_checklist"
            )
        if "receiving_checklist" in values:
            values["receiving_checklist"] = _clean_checklist(
                values["receiving_checklist"], ReceivingChecklistItem, "receiving_checklist"
            )
        for name in ("who_packs", "what_goes", "access_before_move"):
            if name in values:
                values[name] = (values[name] or "").strip()
        if "protected_data_applied" in values:
            values["protected_data_applied"] = bool(values["protected_data_applied"])
        changed = sorted(name for name, value in values.items() if getattr(plan, name) != value)
        for name in changed:
            setattr(plan, name, values[name])
        if changed:
            plan.save(update_fields=changed)
            record_event(case=case, kind=EventKind.MOVE_PLAN_UPDATED, actor=actor, data={"fields": changed})
    return plan


def cost_item_add(*, case: Case, actor: User, description: str, amount: Decimal | None, payer: str) -> CostItem:
    """Add a cost of the move and who pays it (rules 10–11)."""
    _check_actor(Action.COST_ITEM_ADD, case, actor)
    description = (description or "").strip()
    if not description:
        raise WorkflowError(MSG_DESCRIPTION_REQUIRED, field="description")
    if amount is not None and amount < 0:
        raise WorkflowError(MSG_BAD_AMOUNT, field="amount")
    if payer not in Side.values:
        raise WorkflowError(MSG_BAD_PAYER, field="payer")
    with transaction.atomic():
        case, _side = _begin(Action.COST_ITEM_ADD, case, actor)
        plan = _lock_move_plan(case)
        item = CostItem.objects.create(move_plan=plan, description=description, amount=amount, payer=payer)
        record_event(
            case=case,
            kind=EventKind.MOVE_PLAN_UPDATED,
            actor=actor,
            data={"cost_item_added": item.pk, "payer": payer},
        )
    return item


def cost_item_remove(*, cost_item: CostItem, actor: User) -> None:
    """Remove a cost item of the current move plan."""
    case = cost_item.move_plan.case
    _check_actor(Action.COST_ITEM_REMOVE, case, actor)
    with transaction.atomic():
        case, _side = _begin(Action.COST_ITEM_REMOVE, case, actor)
        plan = _lock_move_plan(case)
        item = CostItem.objects.select_for_update().filter(pk=cost_item.pk, move_plan=plan).first()
        if item is None:
            raise WorkflowError(MSG_COST_NOT_IN_PLAN)
        item_id = item.pk
        item.delete()
        record_event(case=case, kind=EventKind.MOVE_PLAN_UPDATED, actor=actor, data={"cost_item_removed": item_id})


def tax_agency_decision_record(*, case: Case, actor: User, decided_on: date) -> MovePlan:
    """Record the date of the Tax Agency's decision on protected personal data (rule 10).

    Recording a decision also records that protected personal data was applied for.
    """
    _check_actor(Action.TAX_AGENCY_DECISION_RECORD, case, actor)
    with transaction.atomic():
        case, _side = _begin(Action.TAX_AGENCY_DECISION_RECORD, case, actor)
        _not_future(decided_on, "decided_on")
        plan = _lock_move_plan(case)
        plan.protected_data_applied = True
        plan.protected_data_decided_on = decided_on
        plan.save(update_fields=["protected_data_applied", "protected_data_decided_on"])
        record_event(
            case=case,
            kind=EventKind.TAX_AGENCY_DECISION,
            actor=actor,
            data={"decided_on": decided_on.isoformat()},
        )
    return plan


def economic_agreement_record(
    *, case: Case, actor: User, agreed_date: date, note: str = "", recorded_on: date | None = None
) -> MovePlan:
    """Record that the two municipalities agreed another date for economic responsibility (rule 11)."""
    _check_actor(Action.ECONOMIC_AGREEMENT_RECORD, case, actor)
    with transaction.atomic():
        case, _side = _begin(Action.ECONOMIC_AGREEMENT_RECORD, case, actor)
        recorded_on = recorded_on or timezone.localdate()
        _not_future(recorded_on, "recorded_on")
        plan = _lock_move_plan(case)
        plan.economic_agreement_date = agreed_date
        plan.economic_agreement_note = (note or "").strip()
        plan.economic_agreement_recorded_on = recorded_on
        plan.save(
            update_fields=["economic_agreement_date", "economic_agreement_note", "economic_agreement_recorded_on"]
        )
        passes_on = economic_responsibility_date(plan)
        record_event(
            case=case,
            kind=EventKind.ECONOMIC_AGREEMENT,
            actor=actor,
            data={"agreed_date": agreed_date.isoformat(), "economic_responsibility_date": passes_on.isoformat()},
        )
    return plan


def move_confirm(*, case: Case, actor: User, moved_on: date) -> MovePlan:
    """Confirm the move on ``moved_on`` (rule 10 gate: not while a protected-data decision is awaited)."""
    _check_actor(Action.MOVE_CONFIRM, case, actor)
    with transaction.atomic():
        case, _side = _begin(Action.MOVE_CONFIRM, case, actor)
        _not_future(moved_on, "moved_on")
        plan = _lock_move_plan(case)
        if plan.protected_data_applied and plan.protected_data_decided_on is None:
            raise WorkflowError(MSG_TAX_AGENCY_PENDING)
        plan.moved_on = moved_on
        plan.move_confirmed_at = timezone.now()
        plan.save(update_fields=["moved_on", "move_confirmed_at"])
        case.status = CaseStatus.MOVED
        case.save(update_fields=["status"])
        record_event(
            case=case,
            kind=EventKind.MOVE_CONFIRMED,
            actor=actor,
            data={
                "moved_on": moved_on.isoformat(),
                "economic_responsibility_date": economic_responsibility_date(plan).isoformat(),
                "follow_up_due": deadlines.follow_up_due(moved_on).isoformat(),
                "two_month_end": deadlines.two_month_end(moved_on).isoformat(),
            },
        )
    return plan


# ---------------------------------------------------------------------------------------------------------------
# After the move and closing (rules 12–14)
# ---------------------------------------------------------------------------------------------------------------


def case_revealed(*, case: Case, actor: User, on: date) -> Case:
    """Record that the new home town was revealed or the person cannot stay (rule 12).

    Within two months of the move the case goes back to the sending side for a new round of requests,
    keeping its history; after that it is the receiving municipality's matter and this is refused.
    The municipality of the ended round is barred from the new round and loses its access.
    """
    _check_actor(Action.CASE_REVEALED, case, actor)
    with transaction.atomic():
        case, _side = _begin(Action.CASE_REVEALED, case, actor)
        plan = _lock_move_plan(case)
        if plan.moved_on is None or on < plan.moved_on or on > timezone.localdate():
            raise WorkflowError(MSG_REVEALED_DATE, field="on")
        if not deadlines.within_two_months(plan.moved_on, on):
            raise WorkflowError(MSG_REVEALED_TOO_LATE % {"moved_on": plan.moved_on.isoformat()}, field="on")
        previous_round, previous_receiving = case.round, case.receiving_municipality_id
        case.round = previous_round + 1
        case.status = CaseStatus.PREPARATION
        case.receiving_municipality = None
        case.save(update_fields=["round", "status", "receiving_municipality"])
        case.excluded_municipalities.add(previous_receiving)
        record_event(
            case=case,
            kind=EventKind.REVEALED,
            actor=actor,
            data={
                "on": on.isoformat(),
                "previous_round": previous_round,
                "round": case.round,
                "previous_receiving_id": previous_receiving,
            },
        )
        revoke_outside_sending_side(case=case, actor=actor)
    return case


def case_close(*, case: Case, actor: User, outcome: str, not_moved_reason: str = "", note: str = "") -> Case:
    """Close the case and fill its LUSAM record from the case itself (rule 14).

    ``moved`` after the move; ``not_moved`` (with a reason) or ``national`` from any status before the move,
    withdrawing requests still open.
    """
    _check_actor(Action.CASE_CLOSE, case, actor)
    if outcome not in Outcome.values:
        raise WorkflowError(MSG_BAD_OUTCOME, field="outcome")
    if outcome == Outcome.NOT_MOVED and not_moved_reason not in NotMovedReason.values:
        raise WorkflowError(MSG_REASON_CHOICE_REQUIRED, field="not_moved_reason")
    if outcome != Outcome.NOT_MOVED:
        not_moved_reason = ""
    with transaction.atomic():
        case, _side = _begin(Action.CASE_CLOSE, case, actor)
        if outcome == Outcome.MOVED and case.status != CaseStatus.MOVED:
            raise WorkflowError(MSG_CLOSE_MOVED_BEFORE_MOVE, field="outcome")
        if outcome != Outcome.MOVED and case.status == CaseStatus.MOVED:
            raise WorkflowError(MSG_CLOSE_NOT_MOVED_AFTER_MOVE, field="outcome")
        for request in Request.objects.select_for_update().filter(case=case, status__in=OPEN_REQUEST_STATUSES):
            _close_request(request, RequestStatus.WITHDRAWN, str(MSG_CLOSED_ON_CASE_END))
            record_event(
                case=case,
                kind=EventKind.REQUEST_WITHDRAWN,
                actor=actor,
                request=request,
                data={"recipient_id": request.recipient_id, "case_closed": True},
            )
        now = timezone.now()
        case.status = CaseStatus.CLOSED
        case.closed_at = now
        case.outcome = outcome
        case.not_moved_reason = not_moved_reason
        case.closing_note = (note or "").strip()
        case.save(update_fields=["status", "closed_at", "outcome", "not_moved_reason", "closing_note"])
        record = _lusam_record(case, closed_on=timezone.localdate(now))
        record_event(
            case=case,
            kind=EventKind.CASE_CLOSED,
            actor=actor,
            data={"outcome": outcome, "not_moved_reason": not_moved_reason, "lusam_record_id": record.pk},
        )
    return case


def _lusam_record(case: Case, *, closed_on: date) -> LusamRecord:
    """Collect the LUSAM report from the case: asked (all rounds), target group, destination, first acceptance."""
    requests = Request.objects.filter(case=case)
    first_sent = requests.order_by("sent_at").values_list("sent_at", flat=True).first()
    first_accepted = (
        Decision.objects.filter(request__case=case, outcome=DecisionOutcome.ACCEPT)
        .select_related("request")
        .order_by("decided_at", "pk")
        .first()
    )
    moved = case.outcome == Outcome.MOVED
    plan = current_move_plan(case) if moved else None
    record = LusamRecord.objects.create(
        case=case,
        sending_municipality_id=case.sending_municipality_id,
        target_group=case.target_group,
        outcome=case.outcome,
        destination_id=case.receiving_municipality_id if moved else None,
        first_accepted_by_id=first_accepted.request.recipient_id if first_accepted else None,
        not_moved_reason=case.not_moved_reason,
        first_sent_on=timezone.localdate(first_sent) if first_sent else None,
        first_accepted_on=timezone.localdate(first_accepted.decided_at) if first_accepted else None,
        moved_on=plan.moved_on if plan else None,
        closed_on=closed_on,
    )
    record.asked.set(set(requests.values_list("recipient_id", flat=True)))
    return record
