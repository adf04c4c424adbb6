"""Who may see and work on a case: per-case, per-person grants (django-guardian, direct foreign key).

The sending side works on a case when it holds ``cases.work_on_case``: the creator gets it at creation,
colleagues of the same municipality only when a holder grants it. After acceptance the receiving
municipality's contact person sees the shared parts and may grant them to their own officers.
Every grant and revocation is a timeline event and an audit row.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from cases.models import Case

if TYPE_CHECKING:
    from accounts.models import User

PERMISSION = "work_on_case"


def has_case_grant(user: User, case: Case) -> bool:
    """Return whether ``user`` holds ``work_on_case`` on ``case`` (one query, no cache)."""
    raise NotImplementedError


def case_role(case: Case, user: User) -> str | None:
    """Return ``'sending'``, ``'receiving'`` or ``None``: the side ``user`` stands on in ``case``.

    Pure (no query): decided by the user's municipality. Call it on a case fetched with
    ``case_get_for_user``, which already checked that the user may see it.
    """
    raise NotImplementedError


def can_manage_access(case: Case, user: User) -> bool:
    """Return whether ``user`` may grant and revoke access to ``case`` for their own municipality."""
    raise NotImplementedError


def case_access_grant(*, case: Case, actor: User, user: User) -> None:
    """Give ``user`` (a colleague of the actor's own municipality) ``work_on_case`` on ``case``."""
    raise NotImplementedError


def case_access_revoke(*, case: Case, actor: User, user: User) -> None:
    """Take ``work_on_case`` on ``case`` away from ``user`` (a colleague of the actor's own municipality)."""
    raise NotImplementedError
