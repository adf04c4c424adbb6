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
