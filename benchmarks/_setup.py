"""Start Django for a benchmark script run from the repository root."""

import os
import sys
from pathlib import Path


def setup() -> None:
    root = Path(__file__).resolve().parent.parent
    sys.path.insert(0, str(root))
    # The test settings: the configured DATABASE_URL, fast hashing and the test client's host allowed.
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lanskompott.settings_test")
    import django

    django.setup()


def verified_client(user):
    """Return a test client signed in as ``user`` with the second factor done (as tests/conftest.py does)."""
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY

    client = Client()
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = user.totpdevice_set.get().persistent_id
    session.save()
    return client
