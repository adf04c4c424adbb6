"""Load test: 50 signed-in users on the inbox and the case page for 60 s, gunicorn with two workers.

Run ``generate_national_data.py`` and ``pages.py`` first (same database: ``pages.py`` makes the case
the users open), then:

    DATABASE_URL=postgres://postgres@127.0.0.1:54329/lk_bench \\
        .venv/bin/python benchmarks/load.py [--users 50] [--seconds 60] [--port 8765]

The script makes 50 officers of the network's busiest municipality (``bench_load_NN``, each with a
grant on the benchmark case), signs each in with the second factor done (one session each), starts
gunicorn (two sync workers, the test settings: production settings with plain static files) on
loopback against the same PostgreSQL database, and runs wrk (the Debian package, installed with
apt-get if missing) with one connection per user: wrk runs one thread per connection, and a Lua
script gives each thread its own session cookie and alternates the inbox and the case page. Any
answer other than 200 (a redirect to sign-in included) counts as an error. Prints throughput, the
latency percentiles and the error count; exits 1 on any error.
"""

import argparse
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from benchmarks._setup import setup  # noqa: E402

LUA = r"""
-- One thread per connection; each thread gets its own session cookie in setup().
local cookies = {COOKIES}
local paths = {PATHS}
local counter = 0
local threads = {}

function setup(thread)
  counter = counter + 1
  thread:set("id", counter)
  thread:set("cookie", cookies[counter])
  table.insert(threads, thread)
end

function init(args)
  index = 0
  failed = 0
  statuses = {}
  wrk.headers["Cookie"] = cookie
end

function request()
  index = index + 1
  return wrk.format("GET", paths[(index % #paths) + 1])
end

function response(status, headers, body)
  if status ~= 200 then
    failed = failed + 1
    statuses[status] = (statuses[status] or 0) + 1
  end
end

function done(summary, latency, requests)
  local failures = 0
  for _, thread in ipairs(threads) do
    failures = failures + thread:get("failed")
  end
  io.write(string.format(
    'RESULT {"requests": %d, "seconds": %.3f, "non200": %d, "socket_errors": %d, ' ..
    '"p50_ms": %.2f, "p95_ms": %.2f, "p99_ms": %.2f, "max_ms": %.2f, "mean_ms": %.2f}\n',
    summary.requests, summary.duration / 1e6, failures,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    latency.max / 1000, latency.mean / 1000))
end
"""


def ensure_wrk() -> str:
    path = shutil.which("wrk")
    if path:
        return path
    print("wrk is missing: installing the Debian package with apt-get.")
    sudo = [] if os.geteuid() == 0 else ["sudo"]
    subprocess.run([*sudo, "apt-get", "install", "-y", "wrk"], check=True)
    return shutil.which("wrk") or sys.exit("wrk could not be installed")


def make_sessions(count: int) -> tuple[list[str], list[str]]:
    """Return one session cookie value per user (second factor done) and the two paths to request."""
    from django.conf import settings
    from django.contrib.auth.models import Permission
    from django.urls import reverse

    from accounts.models import User
    from benchmarks._setup import verified_client
    from benchmarks.pages import officer
    from cases.models import Case, CaseUserObjectPermission

    many = User.objects.filter(username="bench_pages_many").first()
    if many is None:
        sys.exit("Run benchmarks/pages.py first: it makes the case the users open.")
    case = Case.objects.filter(created_by=many, requests__isnull=False).order_by("-pk").first()
    permission = Permission.objects.get(codename="work_on_case")
    cookies = []
    for number in range(count):
        user = officer(f"bench_load_{number:02d}", many.municipality)
        CaseUserObjectPermission.objects.get_or_create(user=user, permission=permission, content_object=case)
        # Signing in records the session's start (the 12-hour limit) and the second factor is marked done.
        session_key = verified_client(user).session.session_key
        cookies.append(f"{settings.SESSION_COOKIE_NAME}={session_key}")
    return cookies, [reverse("cases:inbox"), reverse("cases:detail", args=[case.pk])]


def wait_for_port(port: int, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    sys.exit(f"gunicorn did not answer on port {port}")


def warm_up(base: str, cookies: list[str], paths: list[str]) -> None:
    """Request each page a few times with real sessions (both workers load the app); each must answer 200."""
    import urllib.request

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(NoRedirect)
    for cookie in cookies[:4]:
        for path in paths:
            request = urllib.request.Request(base + path, headers={"Cookie": cookie})  # noqa: S310 - loopback http
            try:
                status = opener.open(request, timeout=60).status  # noqa: S310 - loopback http
            except urllib.error.HTTPError as error:
                status = error.code
            if status != 200:
                sys.exit(f"{path} answered {status} to a signed-in session before the load started")


def lua_list(values: list[str]) -> str:
    return "{" + ", ".join(json.dumps(value) for value in values) + "}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    wrk = ensure_wrk()
    setup()
    from django.db import connection

    cookies, paths = make_sessions(args.users)
    connection.close()
    env = dict(os.environ, DJANGO_SETTINGS_MODULE=os.environ.get("DJANGO_SETTINGS_MODULE", "lanskompott.settings_test"))
    gunicorn = subprocess.Popen(
        [
            str(ROOT / ".venv" / "bin" / "gunicorn"),
            "lanskompott.wsgi",
            "--workers",
            str(args.workers),
            "--bind",
            f"127.0.0.1:{args.port}",
            "--log-level",
            "warning",
            "--timeout",
            "120",
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        wait_for_port(args.port)
        base = f"http://127.0.0.1:{args.port}"
        warm_up(base, cookies, paths)
        with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
            script.write(LUA.replace("{COOKIES}", lua_list(cookies)).replace("{PATHS}", lua_list(paths)))
        load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
        print(
            f"{args.users} users (one connection each), {args.seconds} s, gunicorn {args.workers} workers, "
            f"{os.cpu_count()} CPUs, load average before {load}; pages: {', '.join(paths)}"
        )
        completed = subprocess.run(
            [
                wrk,
                "-t",
                str(args.users),
                "-c",
                str(args.users),
                "-d",
                f"{args.seconds}s",
                "--timeout",
                "30s",
                "--latency",
                "-s",
                script.name,
                base + paths[0],
            ],
            capture_output=True,
            text=True,
            check=True,
        )
        os.unlink(script.name)
    finally:
        gunicorn.send_signal(signal.SIGTERM)
        gunicorn.wait(timeout=30)
    print(completed.stdout, completed.stderr)
    line = next(line for line in completed.stdout.splitlines() if line.startswith("RESULT "))
    result = json.loads(line.removeprefix("RESULT "))
    throughput = result["requests"] / result["seconds"]
    print(
        f"Throughput {throughput:.1f} requests/s; p50 {result['p50_ms']:.0f} ms, p95 {result['p95_ms']:.0f} ms, "
        f"p99 {result['p99_ms']:.0f} ms; {result['non200']} answers other than 200, "
        f"{result['socket_errors']} socket errors."
    )
    return 1 if result["non200"] or result["socket_errors"] else 0


if __name__ == "__main__":
    sys.exit(main())
