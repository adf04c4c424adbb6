"""Reads of cases, requests and consents that check permission in the database.

Views never call ``Case.objects.get``: they call these, which answer 404 for anything the user may
not see and write every read of a case or request to the audit log.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet

from cases.models import Case, CaseEvent, Preparation, Request, UnitConsent

if TYPE_CHECKING:
    from django.http import HttpRequest

    from accounts.models import User


def visible_cases(user: User) -> QuerySet[Case]:
    """Return the cases ``user`` may open (no audit row; use for lists and existence checks)."""
    raise NotImplementedError


def case_get_for_user(*, user: User, pk: int, http_request: HttpRequest | None = None) -> Case:
    """Return the case ``pk`` if ``user`` may see it, else raise Http404; write an audit READ row."""
    raise NotImplementedError


def request_get_for_user(*, user: User, pk: int, http_request: HttpRequest | None = None) -> Request:
    """Return the request ``pk`` if ``user`` may see it, else raise Http404; write an audit READ row.

    The receiving municipality's officers see requests addressed to it; its supervisors those they must
    consent to; the sending side those of cases it works on.
    """
    raise NotImplementedError


def case_list_for_user(*, user: User) -> QuerySet[Case]:
    """Return the cases ``user`` works on, newest first, annotated with ``open_request_count``."""
    raise NotImplementedError


def inbox_for_user(*, user: User) -> QuerySet[Request]:
    """Return the requests addressed to the user's municipality, open ones first by deadline.

    Each row is annotated with ``days_left`` (days until ``reply_by``; negative when overdue).
    """
    raise NotImplementedError


def consents_for_user(*, user: User) -> QuerySet[UnitConsent]:
    """Return the open consents the supervisor must give for their unit and municipality."""
    raise NotImplementedError


def case_preparation_for_user(*, case: Case, user: User) -> Preparation | None:
    """Return the preparation (with working notes) for the sending side; ``None`` for anyone else."""
    raise NotImplementedError


def case_requests_for_user(*, case: Case, user: User) -> QuerySet[Request]:
    """Return the requests of ``case`` ``user`` may see: all for the sending side, their own otherwise."""
    raise NotImplementedError


def case_events_for_user(*, case: Case, user: User) -> QuerySet[CaseEvent]:
    """Return the timeline events of ``case`` that ``user``'s side may see."""
    raise NotImplementedError
