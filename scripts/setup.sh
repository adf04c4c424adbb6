#!/usr/bin/env bash
# Install what the app needs on a fresh Debian machine: system packages and the pinned Python packages.
# Usage: scripts/setup.sh [--with-test-services]
set -euo pipefail
cd "$(dirname "$0")/.."

PACKAGES=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core gettext python3-venv)
if [[ "${1:-}" == "--with-test-services" ]]; then
  PACKAGES+=(postgresql redis-server chromium poppler-utils)
  # Node.js may come from elsewhere than Debian (it ships its own npm); install Debian's only if absent.
  command -v npm >/dev/null || PACKAGES+=(nodejs npm)
fi

missing=()
for package in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "ok installed" || missing+=("$package")
done
if (( ${#missing[@]} )); then
  echo "Installing Debian packages: ${missing[*]}"
  SUDO=""
  [[ $(id -u) -ne 0 ]] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

PYTHON="${PYTHON:-python3.11}"
command -v "$PYTHON" >/dev/null || PYTHON=python3
if [[ ! -x .venv/bin/python ]]; then
  "$PYTHON" -m venv .venv
fi
# The lock pins every package, so two installs give the same versions.
# (The filter hides pip's notes about local package mirrors that this machine may not have.)
.venv/bin/pip install -q --disable-pip-version-check -r requirements/lock.txt 2>&1 | { grep -v "^WARNING: Location" || true; }

if [[ "${1:-}" == "--with-test-services" ]]; then
  # axe-core for the accessibility checks of the browser tests, exactly as pinned in the lock file.
  npm ci --prefix tests/browser --silent --no-audit --no-fund
fi
