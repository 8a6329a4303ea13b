// The one rollout session: the plan, the secrets it carries, and the next steps as data, the same
// for every front end.
import { describe, expect, it } from 'vitest';
import { nextStepLine } from '../../src/plan/action.js';
import { Secret } from '../../src/core/secret.js';
import { assumedFacts } from '../../src/plan/facts.js';
import { nextSteps, planOffline, planRun } from '../../src/rollout/session.js';
import { readAnswers } from '../helpers.js';

const EXAMPLE = new URL('../../examples/answers.json5', import.meta.url).pathname;
const KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGz3bWxuYXhqZ2l6eW5wYnNvZ2lmdGJ4cW5sa3V6cXk1 me@laptop';

describe('rollout session', () => {
  const answers = readAnswers(EXAMPLE);

  it('says what to do next as data: one login command, how to connect, how to read the token', () => {
    const run = planOffline({ answers, keys: [KEY], env: {} });
    const next = nextSteps(run);
    const login = next.filter((n) => n.kind === 'login');
    expect(login).toEqual([
      {
        kind: 'login',
        text: 'log in from now on with',
        command: `ssh -p ${answers.ssh.port} ${answers.deployUser.name}@${answers.target.host}`,
        aside: '(root and password logins are off)',
      },
    ]);
    expect(next.find((n) => n.kind === 'token')?.command).toBe(
      `ssh -p ${answers.ssh.port} ${answers.deployUser.name}@${answers.target.host} sudo grep OPENCLAW_GATEWAY_TOKEN /home/${answers.deployUser.name}/openclaw/.env`,
    );
    // the printed plan shows the same words
    for (const n of next) expect(run.text).toContain(`# NOTE: ${nextStepLine(n)}`);
  });

  it('a plan stopped before sshd is tightened tells no new login', () => {
    const run = planOffline({ answers: { ...answers, stopBefore: 'ssh' }, keys: [KEY], env: {} });
    expect(nextSteps(run).some((n) => n.kind === 'login')).toBe(false);
  });

  it('on a probed server it keeps the gateway token a first run generated, and scrubs it', async () => {
    const token = Secret.of('OPENCLAW_GATEWAY_TOKEN', 'a'.repeat(64), 'the server');
    const seen: string[] = [];
    const link = { facts: assumedFacts('debian-12', 'root', '198.51.100.7'), readGatewayToken: async (p: string) => (seen.push(p), token) };
    const run = await planRun({ answers: { ...answers, openclaw: { ...answers.openclaw, gatewayToken: 'generate' } }, keys: [KEY], env: {}, link });
    expect(seen).toEqual([run.ctx.paths.env]);
    expect(run.ctx.secrets.gatewayToken).toBe(token);
    expect(run.secrets).toContain(token);
    expect(run.text).not.toContain('a'.repeat(64));
  });
});
