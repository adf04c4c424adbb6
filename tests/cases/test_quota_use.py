"""Rule 8: quota use counts received and handed-over cases in the year of acceptance."""

import datetime

from django.utils import timezone

from cases.quota import QuotaUse, quota_use
from tests.factories import DecisionFactory, RequestFactory


def test_rule_8_quota_use_counts_accepted_requests_by_year(db):
    accepted = DecisionFactory(request__status="accepted")
    RequestFactory(status="sent")
    old = DecisionFactory(request__status="accepted")
    old.decided_at = timezone.now() - datetime.timedelta(days=800)
    old.save()
    year = timezone.now().year
    use = quota_use(year=year)
    assert use[accepted.request.recipient_id] == QuotaUse(received=1, handed_over=0)
    assert use[accepted.request.sender_id] == QuotaUse(received=0, handed_over=1)
    assert old.request.recipient_id not in use
