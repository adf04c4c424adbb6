"""Case-building fixtures for the cases tests.

Note for everyone writing page tests: these fixtures build cases through ``cases.workflow`` (never by
setting status fields), so each one is a real journey. Köping is the sending municipality
(``officer_koping`` created the case); Sala and Arboga are asked.

- ``new_case``: just created, nothing prepared (status preparation).
- ``case_with_children``: created with children aged 7 and 16, nothing prepared.
- ``ready_case``: preparation complete and request form filled; can be sent.
- ``sent_case``: ``ready_case`` sent to Sala and Arboga; ``sent_case.sala`` / ``sent_case.arboga`` are the requests.
- ``agreed_case``: Sala accepted (adult unit, ``supervisor_sala_adult`` consented); Arboga superseded.
- ``moved_case``: ``agreed_case`` with the move confirmed 10 days ago.
Functions: ``complete_preparation(case, actor)``, ``fill_form(case, actor)``, ``update_children(case, actor,
ages)``, ``municipality(name)``.
"""

import datetime
from types import SimpleNamespace

import pytest
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


@pytest.fixture
def new_case(officer_koping):
    return create_case(officer_koping)


@pytest.fixture
def case_with_children(officer_koping):
    return create_case(officer_koping, children_ages=[7, 16])


@pytest.fixture
def ready_case(new_case, officer_koping):
    complete_preparation(new_case, officer_koping)
    fill_form(new_case, officer_koping)
    return new_case


@pytest.fixture
def sent_case(ready_case, officer_koping):
    sent = workflow.requests_send(
        case=ready_case, actor=officer_koping, recipients=[municipality("Sala"), municipality("Arboga")]
    )
    by_name = {request.recipient.name: request for request in sent}
    ready_case.refresh_from_db()
    return SimpleNamespace(case=ready_case, sala=by_name["Sala"], arboga=by_name["Arboga"])


@pytest.fixture
def agreed_case(sent_case, contact_sala, supervisor_sala_adult):
    workflow.request_start_acceptance(request=sent_case.sala, actor=contact_sala, units=["adult"])
    consent = sent_case.sala.consents.get()
    workflow.consent_give(consent=consent, actor=supervisor_sala_adult)
    for obj in (sent_case.case, sent_case.sala, sent_case.arboga):
        obj.refresh_from_db()
    return sent_case


@pytest.fixture
def moved_case(agreed_case, officer_koping):
    moved_on = timezone.localdate() - datetime.timedelta(days=10)
    workflow.move_confirm(case=agreed_case.case, actor=officer_koping, moved_on=moved_on)
    agreed_case.case.refresh_from_db()
    agreed_case.moved_on = moved_on
    return agreed_case
