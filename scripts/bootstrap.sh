#!/usr/bin/env bash
# Installs what the project needs on a fresh Debian machine, then runs a TypeScript entry point.
# Usage: bash scripts/bootstrap.sh [--npm-only] <scripts/file.ts> [args...]   (the npm scripts call this)
# --npm-only skips the Debian packages: `npm run build` and `npm run preview` need only Node.
set -euo pipefail
cd "$(dirname "$0")/.."

npm_only=0
if [ "${1:-}" = "--npm-only" ]; then npm_only=1; shift; fi

step() { printf '[setup] %s\n' "$*"; }
t0=$(date +%s)

apt_packages=(postgresql-15 postgresql-15-cron postgresql-15-pgtap libtap-parser-sourcehandler-pgtap-perl
  postgresql-15-plpgsql-check postgresql-15-wal2json chromium)
missing=()
if [ "$npm_only" = 0 ]; then
  for p in "${apt_packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
fi
if [ "$npm_only" = 1 ]; then
  step "Debian packages not needed"
elif [ ${#missing[@]} -gt 0 ]; then
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
  # Exactly the locked versions, dev packages included even under NODE_ENV=production: the
  # build and test tools are devDependencies. No `npm install` fallback: it would rewrite the lockfile.
  if ! npm ci --include=dev --no-audit --no-fund --loglevel=error; then
    echo "[setup] npm ci failed: package-lock.json must match package.json (see npm's message above)." >&2
    echo "[setup] After changing dependencies run \`npm install\`, then \`npx tsx scripts/lock-platform-packages.ts\`, and commit package-lock.json." >&2
    exit 1
  fi
  step "npm packages installed in $(( $(date +%s) - s )) s"
else
  step "npm packages present"
fi
# The Edge Functions' npm packages, fetched now (frozen lockfile) rather than by the function host
# at the first request; it fails here, naming the cause (TLS trust, proxy, lockfile), if it cannot.
if [ "$npm_only" = 0 ]; then
  node_modules/.bin/tsx scripts/fetch-function-deps.ts || exit 1
fi
step "ready in $(( $(date +%s) - t0 )) s"

entry="$1"; shift
exec node_modules/.bin/tsx "$entry" "$@"
