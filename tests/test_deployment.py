"""The production stack: docker-compose.yml, the Dockerfile, the environment, and check --deploy."""

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
SETTINGS = (ROOT / "lanskompott" / "settings.py").read_text(encoding="utf-8")
# Every variable settings.py reads: env_str("NAME"...), env_bool("NAME"...) and so on.
SETTINGS_VARIABLES = set(re.findall(r'env_(?:str|bool|int|list)\(\s*"([A-Z0-9_]+)"', SETTINGS))
REQUIRED_IN_PRODUCTION = {"DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS", "LANSKOMPOTT_SITE_URL"}


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))


def _command(service: dict) -> str:
    command = service["command"]
    return " ".join(command) if isinstance(command, list) else command


def test_compose_has_every_service(compose):
    assert set(compose["services"]) == {"db", "redis", "migrate", "web", "worker", "beat"}
    assert compose["services"]["db"]["image"].startswith("postgres:16")
    assert compose["services"]["redis"]["image"].startswith("redis:7")


def test_web_runs_gunicorn_with_several_workers(compose):
    command = _command(compose["services"]["web"])
    assert command.startswith("gunicorn lanskompott.wsgi")
    workers = int(re.search(r"--workers (\d+)", command).group(1))
    assert workers >= 2


def test_celery_worker_and_one_beat(compose):
    assert "celery -A lanskompott worker" in _command(compose["services"]["worker"])
    assert "celery -A lanskompott beat" in _command(compose["services"]["beat"])
    assert "deploy" not in compose["services"]["beat"] or compose["services"]["beat"]["deploy"].get("replicas") == 1


def test_migrate_runs_once_before_the_app(compose):
    migrate = compose["services"]["migrate"]
    assert "manage.py migrate --noinput" in _command(migrate)
    assert "manage.py collectstatic --noinput" in _command(migrate)
    assert migrate["restart"] == "no"
    for name in ("web", "worker", "beat"):
        depends = compose["services"][name]["depends_on"]
        assert depends["migrate"] == {"condition": "service_completed_successfully"}
        assert depends["db"] == {"condition": "service_healthy"}
        assert depends["redis"] == {"condition": "service_healthy"}


def test_app_services_are_configured_through_the_environment(compose):
    for name in ("migrate", "web", "worker", "beat"):
        service = compose["services"][name]
        assert service["env_file"] == ".env"
        environment = service["environment"]
        assert environment["DATABASE_URL"].startswith("postgres://")
        assert "${POSTGRES_PASSWORD" in environment["DATABASE_URL"]
        assert environment["CELERY_BROKER_URL"].startswith("redis://redis:6379/")
        # Production: never DEBUG, never the demo.
        assert "DJANGO_DEBUG" not in environment
        assert "LANSKOMPOTT_DEMO" not in environment


def test_no_secret_is_committed(compose):
    text = (ROOT / "docker-compose.yml").read_text(encoding="utf-8")
    assert "DJANGO_SECRET_KEY" not in text
    assert compose["services"]["db"]["environment"]["POSTGRES_PASSWORD"].startswith("${POSTGRES_PASSWORD")
    tracked = subprocess.run(["git", "ls-files", ".env"], cwd=ROOT, capture_output=True, text=True, check=True)
    assert tracked.stdout.strip() == ""


def test_env_example_names_every_required_variable_and_only_known_ones():
    names = set()
    for line in (ROOT / ".env.example").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            names.add(line.split("=", 1)[0])
    assert names >= REQUIRED_IN_PRODUCTION | {"POSTGRES_PASSWORD"}
    assert names - {"POSTGRES_PASSWORD"} <= SETTINGS_VARIABLES
    assert "DJANGO_DEBUG" not in names


def test_dockerfile_installs_the_lock_and_runs_as_a_user():
    dockerfile = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    assert dockerfile.startswith("#") and "FROM python:3.11-slim-bookworm" in dockerfile
    assert "pip install -r requirements/lock.txt" in dockerfile
    assert "libpango-1.0-0" in dockerfile
    assert re.search(r"^USER (?!root)\S+", dockerfile, re.MULTILINE)


def test_readme_lists_every_environment_variable():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    missing = {name for name in SETTINGS_VARIABLES if f"`{name}`" not in readme}
    assert not missing, f"README.md lacks: {sorted(missing)}"


def _production_environment() -> dict[str, str]:
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "LANSKOMPOTT_", "CELERY_", "AXES_"))
    }
    environment.update(
        DJANGO_SETTINGS_MODULE="lanskompott.settings",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="lanskompott.example.org",
        LANSKOMPOTT_SITE_URL="https://lanskompott.example.org",
    )
    return environment


def test_check_deploy_has_no_warnings_in_production():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=_production_environment(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_settings_have_no_demo_even_when_asked():
    environment = _production_environment() | {"LANSKOMPOTT_DEMO": "true"}
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.conf import settings; "
            "print(settings.DEBUG, settings.DEMO_MODE)",
        ],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "False"]
    for command in (["seed_demo"], ["demo_code", "admin"]):
        refused = subprocess.run(
            [sys.executable, "manage.py", *command],
            cwd=ROOT,
            env=environment,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert refused.returncode != 0
        assert "only on a development machine" in refused.stderr


SQLITE_WRITE_WHILE_ANOTHER_PROCESS_WRITES = """
import sqlite3, threading, time
import django
django.setup()
from django.conf import settings
from django.db import connection, transaction

path = settings.DATABASES["default"]["NAME"]
with connection.cursor() as cursor:
    cursor.execute("CREATE TABLE counter (n integer)")
held = threading.Event()

def other_process():  # the Celery worker writing a notification
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    other.execute("INSERT INTO counter VALUES (1)")
    held.set()
    time.sleep(0.5)
    other.execute("COMMIT")

thread = threading.Thread(target=other_process)
thread.start()
held.wait()
with transaction.atomic():  # a workflow step: read, then write
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM counter")
        cursor.execute("INSERT INTO counter VALUES (2)")
thread.join()
with connection.cursor() as cursor:
    cursor.execute("SELECT count(*) FROM counter")
    print(cursor.fetchone()[0])
"""


def test_the_demo_database_waits_for_the_worker_instead_of_failing(tmp_path):
    """The demo's web process and Celery worker share one SQLite file: a read-then-write step waits, never 500s."""
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_", "LANSKOMPOTT_", "CELERY_"))
    }
    environment |= {
        "DJANGO_DEBUG": "true",
        "LANSKOMPOTT_VAR_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "lanskompott.settings",
    }
    result = subprocess.run(
        [sys.executable, "-c", SQLITE_WRITE_WHILE_ANOTHER_PROCESS_WRITES],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.split() == ["2"]


def test_readme_gives_exactly_two_commands_and_ci_runs_the_second():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Two commands", 1)[1].split("\n## ", 1)[0]
    block = re.search(r"```sh\n(.*?)```", section, re.DOTALL).group(1)
    commands = [line.split("#", 1)[0].strip() for line in block.splitlines() if line.split("#", 1)[0].strip()]
    assert commands == ["scripts/run.sh", "scripts/test.sh"]
    for command in commands:
        assert os.access(ROOT / command, os.X_OK), command
    assert "scripts/test.sh" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    run = (ROOT / "scripts" / "run.sh").read_text(encoding="utf-8")
    for step in ("scripts/setup.sh", "migrate", "load_network vastmanland", "seed_demo", "runserver 127.0.0.1:8000"):
        assert step in run, step
    # The demo needs neither PostgreSQL nor Redis, whatever the shell has set.
    assert "unset DATABASE_URL CELERY_BROKER_URL" in run
