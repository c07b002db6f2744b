#!/usr/bin/env bash
# Validate the Claude Code plugins and marketplace with the pinned Claude Code CLI (offline, no login).
# Same targets as test/plugin/validate.test.ts. Usage: scripts/validate-plugins.sh
set -euo pipefail
cd "$(dirname "$0")/.."

claude=(node_modules/.bin/claude)
if ! "${claude[@]}" --version >/dev/null 2>&1; then
  claude=(node node_modules/@anthropic-ai/claude-code/cli-wrapper.cjs)
fi

home="$(mktemp -d)"
trap 'rm -rf "$home"' EXIT
export HOME="$home" CLAUDE_CONFIG_DIR="$home/.claude" DISABLE_AUTOUPDATER=1 DISABLE_TELEMETRY=1 \
  CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC=1 NO_COLOR=1

# The root plugin goes by its manifest path: validating "." would check only the marketplace.
mapfile -t targets < <(node -e '
  const m = require("./.claude-plugin/marketplace.json");
  console.log(".claude-plugin/marketplace.json");
  for (const p of m.plugins) console.log(p.source === "./" ? ".claude-plugin/plugin.json" : p.source.replace(/^\.\//, ""));
')

status=0
for t in "${targets[@]}"; do
  "${claude[@]}" plugin validate --strict "$t" || status=1
done
exit $status
