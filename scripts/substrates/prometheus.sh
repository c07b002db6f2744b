#!/usr/bin/env bash
# Prometheus 2.42, Alertmanager 0.25 and promtool from Debian, for the Prometheus/Alertmanager tests (mode test)
# and the demo (mode demo). Idempotent: installs only what is missing; nothing to build or cache.
set -euo pipefail
mode=${1:-test}
case "$mode" in test|demo) ;; *) echo "prometheus.sh: unknown mode \"$mode\" (test|demo)" >&2; exit 2 ;; esac
missing=()
command -v prometheus >/dev/null 2>&1 || missing+=(prometheus)
command -v promtool >/dev/null 2>&1 || missing+=(prometheus)
command -v prometheus-alertmanager >/dev/null 2>&1 || missing+=(prometheus-alertmanager)
[ ${#missing[@]} -eq 0 ] && exit 0
pkgs=$(printf '%s\n' "${missing[@]}" | sort -u | tr '\n' ' ')
if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "prometheus.sh: missing ${pkgs}— install them as root: apt-get install -y --no-install-recommends ${pkgs}" >&2
  exit 1
fi
echo "prometheus.sh: installing ${pkgs}from Debian (about 15 s, 40 MB download)…" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get install -y --no-install-recommends $pkgs >/dev/null 2>&1 || { apt-get update -qq >/dev/null && apt-get install -y --no-install-recommends $pkgs >/dev/null; }
# The Debian packages start system services on install; the harness runs its own servers on free ports.
for svc in prometheus prometheus-alertmanager; do
  if command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet "$svc" 2>/dev/null; then systemctl stop "$svc" || true; fi
done
exit 0
