#!/usr/bin/env bash
# GoAlert v0.34.1 (the open-source on-call server the oncall tests run against) and PostgreSQL 15 (Debian).
# GoAlert is built from the Go module proxy with the module pinned in test/substrates/goalert/{go.mod,go.sum,tools.go}
# (the proxy refuses GoAlert's version list; the exact version resolves, and GoAlert's own go.sum avoids a 404
# on a checksum lookup). Built once, cached by version in ${HELM_CLOUD_CACHE:-~/.cache/helm-cloud}/goalert-v0.34.1/bin/.
# Idempotent.
set -euo pipefail
mode=${1:-test}
[ "$mode" = test ] || exit 0 # the demo needs no on-call server (local mode)
cd "$(dirname "$0")/../.."
V=v0.34.1
CACHE=${HELM_CLOUD_CACHE:-$HOME/.cache/helm-cloud}
BIN=$CACHE/goalert-$V/bin
say() { echo "setup: goalert: $*" >&2; }

pg_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1; }
if [ -z "$(pg_bin)" ] || ! [ -x "$(pg_bin)/initdb" ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    say "installing postgresql (Debian, ~30 s)"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql >/dev/null || {
      apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql >/dev/null; }
  else
    say "PostgreSQL is missing: install it with \`sudo apt-get install postgresql\`"; exit 1
  fi
fi
[ -x "$BIN/goalert" ] && exit 0
if ! command -v go >/dev/null 2>&1; then
  say "Go 1.25 or newer is needed to build GoAlert (https://go.dev/dl)"; exit 1
fi
mkdir -p "$CACHE"
exec 9>"$CACHE/goalert-$V.lock"
flock 9 # a second setup waits for the first build instead of starting its own
[ -x "$BIN/goalert" ] && exit 0
work=$(mktemp -d "$CACHE/goalert-build.XXXXXX")
trap 'rm -rf "$work"' EXIT
cp test/substrates/goalert/go.mod test/substrates/goalert/go.sum test/substrates/goalert/tools.go "$work/"
say "downloading GoAlert $V modules (~1 min, once)"
(cd "$work" && go mod download)
say "building GoAlert $V (~3-5 min on 2 cores, once)"
(cd "$work" && go build -trimpath -o "$work/goalert" github.com/target/goalert/cmd/goalert)
mkdir -p "$BIN"
# Moved in only when built, so an interrupted build is never mistaken for a finished one.
mv "$work/goalert" "$BIN/goalert"
say "cached in $BIN"
