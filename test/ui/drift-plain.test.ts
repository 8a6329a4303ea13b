import { describe, expect, it } from 'vitest';
import { parseCli } from '../../src/cli/args.js';
import type { Io } from '../../src/core/io.js';
import { revealText, Secret } from '../../src/core/secret.js';
import { RecordingExecutor, type Recorded } from '../../src/exec/recording.js';
import { assumedFacts } from '../../src/plan/facts.js';
import { runPlain } from '../../src/ui/run-plain.js';
import { dryDeps, keyDir, scripted } from './helpers.js';

// --plain on a deployed server whose openclaw.json was edited by hand: the review asks keep or
// revert per key, and the apply writes what was chosen (issue 21).

const { key } = keyDir();
const CONFIG = '/home/deploy/openclaw/config/openclaw.json';
const onServer = JSON.stringify({ gateway: { auth: { rateLimit: { maxAttempts: 8 } } }, tools: { profile: 'minimal' } });

function deployedDeps() {
  const exec = new RecordingExecutor();
  const facts = { ...assumedFacts('debian-12', 'root', '198.51.100.7'), source: 'probed' as const };
  const deps = dryDeps({
    env: { ANTHROPIC_API_KEY: 'sk-ant-plain-drift' },
    connect: async () => ({
      exec,
      facts,
      readGatewayToken: async () => null,
      readDeployed: async () => ({ configText: onServer, envKeys: ['OPENCLAW_GATEWAY_TOKEN', 'TZ'], journal: null, journalAnswers: null }),
      readEnvSecrets: async (_f: string, names: string[]) => new Map(names.map((n) => [n, Secret.of(n, `'${'d'.repeat(64)}'`, 'the server')] as const)),
      close: async () => {},
    }),
  });
  return { deps, exec };
}

/** Answers every question with its default, trusts the host key; `drift` types the answer to each keep-or-revert question. */
function answers(drift: (message: string) => string[]) {
  return scripted((kind, m) => {
    if (/^Server address/.test(m)) return ['203.0.113.10', '\r'];
    if (/^Host key/.test(m)) return ['y', '\r'];
    if (/set it back\?$/.test(m)) return drift(m);
    if (/^What now/.test(m)) return ['\r'];
    if (/^Send a test alert/.test(m)) return ['n', '\r'];
    if (kind === 'password') return ['long-enough-secret-value-1234567890', '\r'];
    return ['\r'];
  });
}

function io(): Io & { out: () => string } {
  let out = '';
  return { stdout: (s) => (out += s), stderr: (s) => (out += s), env: {}, isTTY: true, out: () => out };
}

const written = (calls: Recorded[]) => {
  const w = calls.find((c): c is Extract<Recorded, { op: 'write' }> => c.op === 'write' && c.path === CONFIG);
  return w ? (JSON.parse(revealText(w.content)) as { gateway: { auth: { rateLimit: { maxAttempts: number } } }; tools: { profile: string } }) : null;
};

describe('--plain rerun with drift', () => {
  it('keep tools.profile (the answers can hold it), revert the rate limit (they cannot): the apply writes exactly that', async () => {
    const { deps, exec } = deployedDeps();
    // The first choice offered is the default: revert for the rate limit (no keep), keep for the profile.
    const s = answers(() => ['\r']);
    const term = io();
    const code = await runPlain(parseCli(['--plain', '--identity', key]), term, s.prompts, deps);
    expect(code, term.out()).toBe(0);
    expect(term.out()).toContain('drift: gateway.auth.rateLimit.maxAttempts: on the server 8, from your answers 10');
    expect(term.out()).toContain('Your answers cannot hold gateway.auth.rateLimit.maxAttempts');
    expect(term.out()).toContain('✓ kept tools.profile = "minimal"');
    expect(s.seen.filter((x) => x.endsWith('set it back?'))).toHaveLength(2);
    const cfg = written(exec.calls);
    expect(cfg?.gateway.auth.rateLimit.maxAttempts).toBe(10);
    expect(cfg?.tools.profile).toBe('minimal');
  }, 30000);

  it('cancel at a drift question: nothing is applied, 130', async () => {
    const { deps, exec } = deployedDeps();
    const s = answers(() => ['\x1b[B', '\r']); // the second choice of the first question: cancel
    const term = io();
    expect(await runPlain(parseCli(['--plain', '--identity', key]), term, s.prompts, deps)).toBe(130);
    expect(term.out()).toContain('Cancelled. Nothing was changed.');
    expect(written(exec.calls)).toBeNull();
  }, 30000);
});
