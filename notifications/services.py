"""Notifications: who hears of what. (Filled in by the notifications work; for now nobody is told.)"""


def notify_for_event(*, event_id: int) -> None:
    """Notify the users concerned by the CaseEvent ``event_id``."""
    return None
