#!/bin/sh
# Real-server benchmark (needs root, like the e2e tests): runs the first-time rollout and its
# rerun on a throwaway Debian 12 test host and prints the [bench] lines: wall time, ssh
# connections opened and commands over the admin connection. Figures, not assertions.
set -eu
cd "$(dirname "$0")/.."
npx vitest run --config vitest.e2e.config.ts test/e2e/rollout.e2e.test.ts 2>&1 | grep '\[bench\]' || {
  echo "no [bench] lines: run 'npx vitest run --config vitest.e2e.config.ts test/e2e/rollout.e2e.test.ts' to see why" >&2
  exit 1
}
