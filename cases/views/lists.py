"""The lists: my cases, the inbox of requests to my municipality.

Open cases and open requests are listed in full (an officer has a handful); closed cases and answered
requests, which only grow, are listed page by page (``?sida=N``), so each page costs the same number of
queries and about the same time however many cases the municipality has had.
"""

from django.core.paginator import Paginator
from django.db.models import F
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from cases import selectors
from cases.access import case_role
from cases.models import OPEN_REQUEST_STATUSES, CaseStatus, RequestStatus, Side
from cases.presentation import case_rows_for_user, request_turn

PAGE_SIZE = 25


@require_safe
def case_list(request: HttpRequest) -> HttpResponse:
    """Mina ärenden: the open cases the user works on, each with whose turn it is; closed ones page by page."""
    user = request.user
    rows = case_rows_for_user(user=user, today=timezone.localdate(), open_only=True)
    inbox_open = 0
    if user.municipality_id:
        inbox_open = selectors.inbox_for_user(user=user).filter(status=RequestStatus.SENT).count()
    closed = (
        selectors.visible_cases(user)
        .filter(status=CaseStatus.CLOSED)
        .select_related("sending_municipality")
        .order_by("-closed_at", "-pk")
    )
    closed_page = Paginator(closed, PAGE_SIZE).get_page(request.GET.get("sida"))
    return render(
        request,
        "cases/case_list.html",
        {
            "sending": [row for row in rows if row["side"] == Side.SENDING],
            "receiving": [row for row in rows if row["side"] != Side.SENDING],
            "closed_page": closed_page,
            "closed_rows": [
                {"case": case, "sending": case_role(case, user) == Side.SENDING} for case in closed_page.object_list
            ],
            "inbox_open": inbox_open,
        },
    )


@require_safe
def inbox(request: HttpRequest) -> HttpResponse:
    """Requests addressed to the user's municipality: open ones with the days left and whose turn it is,
    answered and closed ones page by page, newest first."""
    today = timezone.localdate()
    requests = selectors.inbox_for_user(user=request.user).select_related("case", "sender", "recipient")
    rows = []
    for item in requests.filter(status__in=OPEN_REQUEST_STATUSES):
        rows.append(
            {
                "request": item,
                "turn": request_turn(item, Side.RECEIVING, today).text,
                "overdue": item.days_left < 0,
            }
        )
    # NULLS LAST (sent_at is never null here) keeps PostgreSQL off a backward walk of the whole sent_at
    # index looking for the few rows of a small municipality: it takes the recipient's rows and sorts them.
    closed = requests.exclude(status__in=OPEN_REQUEST_STATUSES).order_by(F("sent_at").desc(nulls_last=True), "-pk")
    closed_page = Paginator(closed, PAGE_SIZE).get_page(request.GET.get("sida"))
    return render(request, "cases/inbox.html", {"rows": rows, "closed_page": closed_page})
