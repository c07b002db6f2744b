#!/usr/bin/env bash
# Rewrites package-lock.json so `npm ci` accepts it on every platform. npm resolves the lock in an empty folder
# (no node_modules to copy from), which records every platform's optional packages and keeps the locked versions.
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cp package.json package-lock.json "$tmp"/
(cd "$tmp" && npm install --package-lock-only --ignore-scripts --no-audit --no-fund --loglevel=error)
cp "$tmp/package-lock.json" package-lock.json
node scripts/check-lock.mjs
