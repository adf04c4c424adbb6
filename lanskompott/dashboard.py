"""What the start page shows each role. Apps extend it as their pages appear."""

from django.utils import timezone

from accounts.models import Role


def dashboard_for(user) -> dict:
    """Return the template context of the start page for ``user``."""
    context = {"role": user.role, "is_county": user.role == Role.COUNTY}
    if user.role == Role.OFFICER and user.municipality_id:
        context.update(_officer_summary(user))
    if user.role == Role.SUPERVISOR and user.municipality_id:
        context.update(_supervisor_summary(user))
    return context


def _officer_summary(user) -> dict:
    """Count the officer's active cases and the requests waiting for the municipality's answer."""
    from cases.models import RequestStatus
    from cases.presentation import case_rows_for_user
    from cases.selectors import inbox_for_user

    today = timezone.localdate()
    rows = case_rows_for_user(user=user, today=today, open_only=True)
    waiting = inbox_for_user(user=user).filter(status=RequestStatus.SENT)
    return {
        "cases_active": len(rows),
        "our_turn": [row for row in rows if any(turn.ours for turn in row["turns"])],
        "inbox_open": waiting.count(),
        "inbox_overdue": waiting.filter(reply_by__lt=today).count(),
    }


def _supervisor_summary(user) -> dict:
    """Count the consents the supervisor has still to give."""
    from cases.selectors import consents_for_user

    return {"consents_open": consents_for_user(user=user).count()}
