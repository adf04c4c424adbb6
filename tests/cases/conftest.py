"""Case-building fixtures for the cases tests.

Note for everyone writing page tests: these fixtures build cases through ``cases.workflow`` (never by
setting status fields), so each one is a real journey; the builders live in ``tests/builders.py`` (shared
with the permission matrix). Köping is the sending municipality (``officer_koping`` created the case);
Sala and Arboga are asked.

- ``new_case``: just created, nothing prepared (status preparation).
- ``case_with_children``: created with children aged 7 and 16, nothing prepared.
- ``ready_case``: preparation complete and request form filled; can be sent.
- ``sent_case``: ``ready_case`` sent to Sala and Arboga; ``sent_case.sala`` / ``sent_case.arboga`` are the requests.
- ``agreed_case``: Sala accepted (adult unit, ``supervisor_sala_adult`` consented); Arboga superseded.
- ``moved_case``: ``agreed_case`` with the move confirmed 10 days ago.
Functions (from tests/builders.py): ``complete_preparation(case, actor)``, ``fill_form(case, actor)``,
``update_children(case, actor, ages)``, ``municipality(name)``.
"""

import pytest

from tests.builders import (
    FORM,
    build_agreed_case,
    build_moved_case,
    build_sent_case,
    complete_preparation,
    create_case,
    fill_form,
    update_children,
)
from tests.conftest import municipality

__all__ = ["FORM", "complete_preparation", "create_case", "fill_form", "municipality", "update_children"]


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
    return build_sent_case(ready_case, officer_koping, ("Sala", "Arboga"))


@pytest.fixture
def agreed_case(sent_case, contact_sala, supervisor_sala_adult):
    return build_agreed_case(sent_case, contact_sala, supervisor_sala_adult, "Sala")


@pytest.fixture
def moved_case(agreed_case, officer_koping):
    return build_moved_case(agreed_case, officer_koping, days_ago=10)
