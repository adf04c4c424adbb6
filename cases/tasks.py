"""Celery tasks of the cases app. Thin: they call a service."""

from celery import shared_task


@shared_task
def erase_expired_cases_task() -> int:
    """Erase the free text of cases closed more than the retention time ago (run nightly by beat)."""
    from cases.retention import erase_expired_cases

    return erase_expired_cases()
