#!/usr/bin/env bash
# Installs what the project needs on a fresh Debian machine, then runs a TypeScript entry point.
# Usage: bash scripts/bootstrap.sh <scripts/file.ts> [args...]   (npm start / npm test call this)
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '[setup] %s\n' "$*"; }
t0=$(date +%s)

apt_packages=(postgresql-15 postgresql-15-pgtap libtap-parser-sourcehandler-pgtap-perl
  postgresql-15-plpgsql-check postgresql-15-wal2json chromium)
missing=()
for p in "${apt_packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "[setup] missing Debian packages: ${missing[*]}" >&2
    echo "[setup] run as root, or install them yourself: sudo apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
  step "installing Debian packages: ${missing[*]} ..."
  s=$(date +%s)
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null || { echo "[setup] apt-get update failed" >&2; exit 1; }
  apt-get install -y -qq "${missing[@]}" >/dev/null || { echo "[setup] apt-get install failed: install ${missing[*]} yourself" >&2; exit 1; }
  step "Debian packages installed in $(( $(date +%s) - s )) s"
else
  step "Debian packages present"
fi

# npm ci only when node_modules is missing or older than the lockfile.
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  step "installing npm packages (npm ci) ..."
  s=$(date +%s)
  # npm ci refuses a lockfile that lacks the Supabase CLI's binaries for other platforms when the
  # registry does not serve them all; npm install then installs the same locked versions.
  if ! npm ci --no-audit --no-fund --loglevel=error 2>/tmp/npm-ci-$$.log; then
    step "npm ci refused the lockfile ($(grep -m1 -o 'Missing: [^ ]*' /tmp/npm-ci-$$.log || echo 'see npm output')); using npm install"
    npm install --no-audit --no-fund --loglevel=error
  fi
  rm -f /tmp/npm-ci-$$.log
  step "npm packages installed in $(( $(date +%s) - s )) s"
else
  step "npm packages present"
fi
step "ready in $(( $(date +%s) - t0 )) s"

entry="$1"; shift
exec node_modules/.bin/tsx "$entry" "$@"
