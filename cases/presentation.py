"""What the case pages say about a case: whose turn it is and the plan's next steps per side.

Only words for the page live here: no rule is decided in this module. Which actions a user may
take comes from ``cases.workflow.allowed_actions``; deadlines come from ``cases.deadlines``.
"""

from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from cases import deadlines
from cases.models import CaseStatus, MeetingKind, RequestStatus, Side


@dataclass(frozen=True)
class Turn:
    """One line of "whose turn": ``ours`` is true when the reader's side has to act."""

    text: str
    ours: bool
    overdue: bool = False


def days_left_text(days: int) -> str:
    if days < 0:
        return ngettext("%(n)d dag försenat", "%(n)d dagar försenat", -days) % {"n": -days}
    if days == 0:
        return _("sista dagen i dag")
    return ngettext("%(n)d dag kvar", "%(n)d dagar kvar", days) % {"n": days}


def request_turn(request, side: str | None, today: date) -> Turn:
    """Return whose turn it is on one open request, seen from ``side``."""
    days = (request.reply_by - today).days
    left = days_left_text(days)
    name = request.recipient.name
    if request.status == RequestStatus.CONSENTING:
        if side == Side.RECEIVING:
            return Turn(_("Väntar på samtycken från berörda arbetsledare"), ours=True, overdue=days < 0)
        return Turn(
            _("Väntar på samtycken i %(name)s, %(left)s") % {"name": name, "left": left}, ours=False, overdue=days < 0
        )
    if side == Side.RECEIVING:
        return Turn(_("Er tur: besvara förfrågan, %(left)s") % {"left": left}, ours=True, overdue=days < 0)
    return Turn(
        _("Väntar på svar från %(name)s, %(left)s") % {"name": name, "left": left}, ours=False, overdue=days < 0
    )


def case_rows_for_user(*, user, today: date, open_only: bool = False) -> list[dict]:
    """Return ``{"case", "side", "turns"}`` for every case ``user`` works on, in a fixed number of queries.

    ``open_only`` leaves the closed cases out (they are listed page by page by ``closed_cases_for_user``).
    """
    from django.db.models import Prefetch

    from cases.access import case_role
    from cases.models import OPEN_REQUEST_STATUSES, Request
    from cases.selectors import case_list_for_user

    cases = case_list_for_user(user=user)
    if open_only:
        cases = cases.exclude(status=CaseStatus.CLOSED)
    cases = cases.select_related("sending_municipality", "receiving_municipality").prefetch_related(
        Prefetch(
            "requests",
            queryset=Request.objects.filter(status__in=OPEN_REQUEST_STATUSES).select_related("recipient"),
            to_attr="open_requests",
        ),
        "move_plans",
        "meetings",
    )
    rows = []
    for case in cases:
        side = case_role(case, user)
        plan = next((plan for plan in case.move_plans.all() if plan.round == case.round), None)
        turns = case_turns(case, side, case.open_requests, today, plan=plan, meetings=case.meetings.all())
        rows.append({"case": case, "side": side, "turns": turns})
    return rows


def case_turns(case, side: str | None, open_requests, today: date, plan=None, meetings=()) -> list[Turn]:
    """Return the lines saying whose turn it is in ``case``, seen from ``side``.

    ``plan`` is the current round's move plan (if any) and ``meetings`` the case's meetings.
    """
    if case.status == CaseStatus.PREPARATION:
        if side == Side.SENDING:
            return [Turn(_("Er tur: förberedelse och förfrågningsunderlag"), ours=True)]
        return [Turn(_("Överlämnande kommun förbereder ärendet"), ours=False)]
    if case.status == CaseStatus.REQUESTING:
        turns = [request_turn(request, side, today) for request in open_requests]
        if not turns:
            if side == Side.SENDING:
                return [Turn(_("Er tur: välj nya kommuner att tillfråga eller avsluta ärendet"), ours=True)]
            return [Turn(_("Överlämnande kommun väljer nya kommuner att tillfråga"), ours=False)]
        return turns
    kinds = {meeting.kind for meeting in meetings if meeting.round == case.round}
    if case.status == CaseStatus.AGREED:
        if MeetingKind.PRE_MEETING not in kinds:
            return [Turn(_("Er tur: förmöte med berörda enheter i båda kommunerna"), ours=True)]
        if plan is not None and plan.protected_data_applied and plan.protected_data_decided_on is None:
            return [Turn(_("Er tur: flyttplan – Skatteverkets beslut om skyddade personuppgifter väntas"), ours=True)]
        return [Turn(_("Er tur: flyttplan och flytt"), ours=True)]
    if case.status == CaseStatus.MOVED:
        if MeetingKind.FOLLOW_UP not in kinds:
            due = deadlines.follow_up_due(plan.moved_on) if plan is not None and plan.moved_on else None
            if due is not None:
                text = _("Er tur: gemensamt uppföljningsmöte senast %(date)s") % {"date": due.isoformat()}
                return [Turn(text, ours=True, overdue=due < today)]
            return [Turn(_("Er tur: gemensamt uppföljningsmöte inom en månad efter flytten"), ours=True)]
        if side == Side.SENDING:
            return [Turn(_("Er tur: avsluta ärendet och redovisa det för LUSAM"), ours=True)]
        return [Turn(_("Överlämnande kommun avslutar ärendet"), ours=False)]
    return [Turn(_("Ärendet är avslutat"), ours=False)]


# The plan's checklists (*Ett ärendes gång*), per case status and side: the "next steps" panel.

NEXT_STEPS = {
    CaseStatus.PREPARATION: {
        Side.SENDING: [
            gettext_lazy("Genomför en aktuell, strukturerad riskbedömning (till exempel FREDA eller SARA)."),
            gettext_lazy("Inhämta polisens bedömning i aktuella fall; samråd med polisen när det är relevant."),
            gettext_lazy(
                "Inhämta samtycke från den våldsutsatta och säkerställ att hen medverkar i överflyttningsprocessen."
            ),
            gettext_lazy("Informera medföljande barn och ge dem möjlighet att lämna synpunkter och ge samtycke."),
            gettext_lazy("Utred behoven av skydd och stöd, med en separat analys för barn och en för vuxna."),
            gettext_lazy("Bedöm vårdnad och umgänge så att det inte utgör hinder för flytt."),
            gettext_lazy("Ta ställning till om stödbehoven kan tillgodoses i öppenvård i de kommuner som tillfrågas."),
            gettext_lazy(
                "Socialnämndens bedömning: byte av bostadsort är nödvändigt "
                "och skyddet kräver inte boende utanför länet."
            ),
            gettext_lazy("Ta en första kontakt med kontaktpersonen i en till tre lämpliga kommuner."),
            gettext_lazy("Skriv det avidentifierade förfrågningsunderlaget och skicka förfrågan."),
        ],
        Side.RECEIVING: [],
    },
    CaseStatus.REQUESTING: {
        Side.SENDING: [
            gettext_lazy("Meddela skyndsamt tillfrågade kommuner om en förfrågan återkallas."),
            gettext_lazy("När en kommun har accepterat avslutas övriga förfrågningar och de kommunerna meddelas."),
        ],
        Side.RECEIVING: [
            gettext_lazy("Ta ställning till övertagande enligt 11 kap. 1 § SoL och svara inom tre veckor."),
            gettext_lazy("Bedöm om det finns skäl att neka förfrågan. Bostadsbrist är aldrig ett skäl."),
            gettext_lazy("Bedöm hur individens behov av insatser ska tillgodoses."),
            gettext_lazy("Samtycke ges av alla beslutsfattande arbetsledare vars enheter berörs."),
        ],
    },
    CaseStatus.AGREED: {
        Side.SENDING: [
            gettext_lazy("Boka och medverka på förmöte med berörda enheter i båda kommunerna."),
            gettext_lazy("Var behjälplig med information i mottagande kommuns utredning efter den enskildes samtycke."),
            gettext_lazy("Gör en överenskommelse om andra myndighetsfrågor (Arbetsförmedlingen, sfi, barnomsorg)."),
            gettext_lazy("Informera efter förmötet den enskilde om den planerade flytten."),
            gettext_lazy(
                "Förbered den våldsutsatta tillsammans med mottagande kommun, till exempel med besök på den nya orten."
            ),
            gettext_lazy("Gå igenom säkerhetsaspekterna i flyttplanen och planera den praktiska flytten."),
            gettext_lazy(
                "Hantera kostnader: nya inköp, flyttkostnader och sluträkningar står överlämnande kommun i regel för."
            ),
        ],
        Side.RECEIVING: [
            gettext_lazy("Medverka på förmöte med berörda enheter i båda kommunerna."),
            gettext_lazy("Inled utredning enligt 11 kap. 1 § SoL efter skriftligt samtycke från den enskilde."),
            gettext_lazy("Gör en överenskommelse med överlämnande kommun kring myndighetsfrågor."),
            gettext_lazy("Förbered den våldsutsatta tillsammans med överlämnande kommun."),
            gettext_lazy("Gå igenom säkerhetsaspekterna: vårdgivare, bostadsbolaget, polis, skola och umgänge."),
        ],
    },
    CaseStatus.MOVED: {
        Side.SENDING: [
            gettext_lazy("Genomför ett gemensamt uppföljningsmöte med den våldsutsatta och barnen inom en månad."),
            gettext_lazy(
                "Överlämnande kommun har ekonomiskt ansvar flyttmånaden plus en månad, om inget annat överenskommits."
            ),
            gettext_lazy("Om den nya orten röjs inom två månader ska överlämnande kommun finna en ny bostadsort."),
            gettext_lazy("Avsluta ärendet och redovisa det för LUSAM."),
        ],
        Side.RECEIVING: [
            gettext_lazy("Genomför ett gemensamt uppföljningsmöte med den våldsutsatta och barnen inom en månad."),
            gettext_lazy("Ta över det ekonomiska ansvaret efter två månader, om inget annat överenskommits."),
            gettext_lazy("Följ upp regelbundet på den nya bostadsorten, tätare i början."),
        ],
    },
    CaseStatus.CLOSED: {
        Side.SENDING: [gettext_lazy("Redovisa ärendet på nästa LUSAM-möte.")],
        Side.RECEIVING: [gettext_lazy("Fortsätt stödet till den enskilde som kommuninvånare.")],
    },
}


def next_steps(status: str) -> list[tuple[str, list]]:
    """Return ``[(side label, steps)]`` for both sides in ``status``, sending side first."""
    steps = NEXT_STEPS.get(status, {})
    return [(Side(side).label, steps.get(side, [])) for side in (Side.SENDING, Side.RECEIVING)]


def event_detail(kind: str, data: dict) -> str:
    """Return a short Swedish detail of one timeline event from its structured data (never free text)."""
    from accounts.models import Unit
    from cases.events import EventKind
    from cases.models import DeclineGround, MeetingKind, NotMovedReason, Outcome

    def label(choices, value) -> str:
        try:
            return str(choices(value).label)
        except ValueError:
            return ""

    if kind == EventKind.ACCEPTANCE_STARTED:
        return ", ".join(label(Unit, unit) for unit in data.get("units", []))
    if kind == EventKind.CONSENT_GIVEN:
        return label(Unit, data.get("unit", ""))
    if kind == EventKind.REQUEST_DECLINED:
        return label(DeclineGround, data.get("ground", ""))
    if kind == EventKind.MEETING_RECORDED:
        return f"{label(MeetingKind, data.get('kind', ''))} {data.get('date', '')}".strip()
    if kind == EventKind.MOVE_CONFIRMED:
        return _("flyttdatum %(date)s") % {"date": data.get("moved_on", "")}
    if kind == EventKind.TAX_AGENCY_DECISION:
        return _("beslut %(date)s") % {"date": data.get("decided_on", "")}
    if kind == EventKind.ECONOMIC_AGREEMENT:
        return _("ekonomiskt ansvar från %(date)s") % {"date": data.get("agreed_date", "")}
    if kind == EventKind.REVEALED:
        return _("ny omgång %(round)s") % {"round": data.get("round", "")}
    if kind == EventKind.CASE_CLOSED:
        parts = [label(Outcome, data.get("outcome", "")), label(NotMovedReason, data.get("not_moved_reason", ""))]
        return " – ".join(part for part in parts if part)
    return ""
