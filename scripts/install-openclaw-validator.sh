#!/usr/bin/env bash
# Installs the real OpenClaw CLI (and the Node 24 it needs) into a cache directory
# outside the repo, so test/openclaw-validate.test.ts can run
# `openclaw config validate --json` on every generated openclaw.json.
#
# Why a separate install: every real openclaw release declares engines.node >=24.16,
# and under Node 20 `npm i openclaw` silently installs a 305-byte placeholder
# (openclaw@0.0.1). So we fetch a Node 24 binary from npm (package "node") and run
# npm under it. About 650 MB and 45 s; nothing is installed globally.
#
# Usage: scripts/install-openclaw-validator.sh [OPENCLAW_VERSION]
# Env:   CLAW_OPENCLAW_CACHE  cache directory (default /var/cache/claw-setup-openclaw)
#        CLAW_NODE24_VERSION  Node version from npm (default 24.21.0)
set -euo pipefail

version="${1:-2026.9.6}"
node_version="${CLAW_NODE24_VERSION:-24.21.0}"
cache="${CLAW_OPENCLAW_CACHE:-/var/cache/claw-setup-openclaw}"

if ! [[ "$version" =~ ^[0-9]{4}\.[0-9]{1,2}\.[0-9]{1,2}(-[a-z0-9.]+)?$ ]]; then
  echo "error: OpenClaw version must look like 2026.9.6, got: $version" >&2
  exit 1
fi

mkdir -p "$cache/node24" "$cache/openclaw-$version"

echo "==> Node $node_version into $cache/node24"
cd "$cache/node24"
[ -f package.json ] || npm init -y >/dev/null
# No --ignore-scripts here: the "node" package downloads its binary in postinstall.
npm install --no-audit --no-fund --save-exact "node@$node_version"
node24="$cache/node24/node_modules/node/bin"
"$node24/node" -v

echo "==> openclaw@$version into $cache/openclaw-$version"
cd "$cache/openclaw-$version"
[ -f package.json ] || npm init -y >/dev/null
PATH="$node24:$PATH" npm install --no-audit --no-fund --save-exact --ignore-scripts "openclaw@$version"
PATH="$node24:$PATH" "$cache/openclaw-$version/node_modules/.bin/openclaw" --version

echo "done: the validator is at $cache/openclaw-$version/node_modules/.bin/openclaw (run it with $node24 first on PATH)"
