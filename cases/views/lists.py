"""The lists: my cases, the inbox of requests to my municipality."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from cases import selectors
from cases.models import RequestStatus, Side
from cases.presentation import case_rows_for_user, request_turn


@require_safe
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


@require_safe
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
