"""After agreement: the pre-meeting and the joint investigation with other authorities (rule 9)."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from cases import forms, selectors, workflow
from cases.models import MeetingKind
from cases.views.common import GET_POST, PostedForm, data_for, disable, meeting_rows, posted_form, save_posted
from cases.views.context import shared_case
from cases.workflow import Action


@require_http_methods(GET_POST)
def collaboration(request: HttpRequest, pk: int) -> HttpResponse:
    """Pre-meeting, the receiving investigation after written consent, other authorities (rule 9)."""
    case, context = shared_case(request, pk, "collaboration")
    current = selectors.case_collaboration_for_user(case=case, user=request.user)
    which = posted_form(request)
    collab_form = forms.CollaborationForm(
        data_for(request, which, "collaboration"), initial=forms.CollaborationForm.initial_from(current)
    )
    meeting_form = forms.MeetingForm(
        data_for(request, which, "meeting"), prefix="meeting", kind=MeetingKind.PRE_MEETING
    )
    then = ("cases:collaboration", case.pk)
    page_forms = {
        "collaboration": PostedForm(collab_form, workflow.collaboration_update, _("Samarbetet är sparat."), then),
        "meeting": PostedForm(meeting_form, workflow.meeting_record, _("Förmötet är registrerat."), then),
    }
    if response := save_posted(request, which, page_forms, case=case, actor=request.user):
        return response
    actions = context["actions"]
    if which is None and Action.COLLABORATION_UPDATE not in actions:
        disable(collab_form)
    context.update(
        {
            "collab_form": collab_form,
            "meeting_form": meeting_form,
            "meetings": meeting_rows(case.meetings.filter(kind=MeetingKind.PRE_MEETING).order_by("date")),
            "can_update": Action.COLLABORATION_UPDATE in actions,
            "can_meet": Action.PRE_MEETING_RECORD in actions,
        }
    )
    return render(request, "cases/collaboration.html", context)
