#!/usr/bin/env bash
# Installs what a fresh machine lacks: the moto AWS emulator in .venv, npm packages, the build.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -x .venv/bin/moto_server ]; then
  python3 -m venv .venv
  .venv/bin/pip install --quiet --disable-pip-version-check 'moto[server]==5.2.5'
fi
# `npm ci` installs exactly the committed lock. check-lock first, so a lock that lost another platform's optional
# packages fails here with the fix (`npm run lock`) instead of as npm's "Missing: … from lock file".
node scripts/check-lock.mjs
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi
npm run build --silent
# Real servers the tests (mode "test") or the demo (mode "demo") need: one idempotent script per substrate in
# scripts/substrates/, each caching what it builds by version outside the repo (${HELM_CLOUD_CACHE:-~/.cache/helm-cloud}).
mode=${1:-test}
for s in scripts/substrates/*.sh; do
  if [ -e "$s" ]; then bash "$s" "$mode"; fi
done
