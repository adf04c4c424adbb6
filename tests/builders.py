"""Build cases through ``cases.workflow`` (never by setting status fields): each one is a real journey.

Shared by the case tests (``tests/cases/conftest.py`` turns them into fixtures) and the permission
matrix (``tests/security``), which builds each case state once.

- ``create_case``, ``complete_preparation``, ``fill_form``, ``update_children``: the sending side's steps.
- ``build_sent_case(case, actor, names)``: send a ready case to the named municipalities.
- ``build_consenting_case(sent, contact, name, units)``: the named recipient starts its acceptance.
- ``build_agreed_case(sent, contact, supervisor, name)``: the named recipient accepts (one unit consents).
- ``build_moved_case(agreed, actor, days_ago)``: the move is confirmed ``days_ago`` days ago.
"""

import datetime
from types import SimpleNamespace

from django.utils import timezone

from cases import workflow
from cases.models import PoliceAssessment, RiskMethod
from tests.conftest import municipality

FORM = {
    "applicant": "Kvinna i 30-årsåldern, har skyddat boende sedan två veckor.",
    "placement": "Behov av ny bostadsort på grund av hot från tidigare partner.",
    "housing": "Behöver lägenhet med två rum.",
}


def complete_preparation(case, actor):
    """Record every preparation item of rule 2 (children informed and heard too)."""
    today = timezone.localdate()
    workflow.preparation_update(
        case=case,
        actor=actor,
        data={
            "risk_method": RiskMethod.FREDA,
            "risk_assessed_on": today,
            "police_assessment": PoliceAssessment.NOT_RELEVANT,
            "consent_given_on": today,
            "needs_investigated": True,
            "adult_analysis_done": True,
            "children_analysis_done": True,
            "custody_assessed": True,
            "committee_assessed_on": today,
            "committee_move_necessary": True,
            "committee_within_county": True,
            "notes": "Arbetsanteckning som bara överlämnande kommun ser.",
        },
    )
    for child in case.children.all():
        workflow.child_update(child=child, actor=actor, informed=True, heard=True)
    return case


def fill_form(case, actor):
    workflow.form_draft_update(case=case, actor=actor, sections=FORM)
    return case


def create_case(actor, children_ages=(), excluded=()):
    return workflow.case_create(
        actor=actor,
        gender="woman",
        adult_confirmed=True,
        new_partner=False,
        outpatient_manageable=True,
        children_ages=list(children_ages),
        excluded_municipalities=list(excluded),
    )


def update_children(case, actor, children_ages):
    """Change only the children's ages on the target group page (what another open tab may do)."""
    return workflow.case_update_target_group(
        case=case,
        actor=actor,
        gender=case.gender,
        adult_confirmed=case.adult_confirmed,
        new_partner=case.new_partner,
        outpatient_manageable=case.outpatient_manageable,
        children_ages=list(children_ages),
        excluded_municipalities=list(case.excluded_municipalities.all()),
    )


def build_sent_case(case, actor, names=("Sala", "Arboga")) -> SimpleNamespace:
    """Send the ready ``case`` to the municipalities ``names``; the requests are attributes by lower-case name."""
    sent = workflow.requests_send(case=case, actor=actor, recipients=[municipality(name) for name in names])
    case.refresh_from_db()
    return SimpleNamespace(case=case, **{request.recipient.name.lower(): request for request in sent})


def build_consenting_case(sent, contact, name="Sala", units=("adult",)) -> SimpleNamespace:
    """Let the contact person of ``name`` start the acceptance: the units are asked for their consent."""
    request = getattr(sent, name.lower())
    workflow.request_start_acceptance(request=request, actor=contact, units=list(units))
    request.refresh_from_db()
    sent.case.refresh_from_db()
    return sent


def build_agreed_case(sent, contact, supervisor, name="Sala") -> SimpleNamespace:
    """Let ``name`` accept: its contact person asks the supervisor's unit, who consents."""
    build_consenting_case(sent, contact, name, units=[supervisor.unit])
    workflow.consent_give(consent=getattr(sent, name.lower()).consents.get(), actor=supervisor)
    for obj in (sent.case, *(value for key, value in vars(sent).items() if key != "case")):
        obj.refresh_from_db()
    return sent


def build_moved_case(agreed, actor, days_ago=10) -> SimpleNamespace:
    """Confirm the move of an agreed case ``days_ago`` days ago."""
    moved_on = timezone.localdate() - datetime.timedelta(days=days_ago)
    workflow.move_confirm(case=agreed.case, actor=actor, moved_on=moved_on)
    agreed.case.refresh_from_db()
    agreed.moved_on = moved_on
    return agreed
