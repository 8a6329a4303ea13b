// steps/index.ts: buildPlan puts the steps in rollout order, leaves out what the answers turn off,
// stops before stopBefore (and then skips verify), and warns in the header.
import { describe, expect, it } from 'vitest';
import { answersSchema, STEP_IDS, type AnswersInput, type StepId } from '../../src/answers/schema.js';
import { printPlan } from '../../src/plan/print.js';
import { answersWith as answers, EXAMPLE, planFor, printed, readAnswers } from '../helpers.js';

describe('rollout order (no lockout)', () => {
  const { plan } = planFor(readAnswers(EXAMPLE));
  const ids = plan.steps.map((s) => s.id);

  it('creates the user, proves the login, then firewall, then tightens', () => {
    const at = (id: string) => ids.indexOf(id as never);
    expect(at('user')).toBeLessThan(at('login-gate'));
    expect(at('login-gate')).toBeLessThan(at('firewall'));
    expect(at('firewall')).toBeLessThan(at('ssh'));
    expect(ids).toEqual([...ids].sort((x, y) => STEP_IDS.indexOf(x as StepId) - STEP_IDS.indexOf(y as StepId)));
  });

  it('stopBefore cuts the plan before that step and skips verify', () => {
    const { plan: cut } = planFor({ ...readAnswers(EXAMPLE), stopBefore: 'docker' });
    expect(cut.steps.map((s) => s.id)).toEqual(['preflight', 'base', 'user', 'login-gate', 'firewall', 'ssh', 'fail2ban']);
  });
});

describe('optional steps', () => {
  it('leaves out fail2ban, unattended upgrades, Docker, backups and monitoring when turned off', () => {
    const { plan } = planFor(
      answers({
        fail2ban: { enabled: false },
        updates: { unattended: false },
        docker: { install: false },
        backups: { enabled: false },
        monitoring: { enabled: false },
      }),
    );
    const ids = plan.steps.map((s) => s.id);
    expect(ids).not.toContain('fail2ban');
    expect(ids).not.toContain('docker');
    expect(ids).not.toContain('backups');
    expect(ids).not.toContain('monitoring');
    // nothing installs or configures them (the audit script the verify step writes only checks them, and skips what is off)
    const base = printed({ ...plan, steps: plan.steps.filter((s) => s.id !== 'verify') });
    expect(base).not.toMatch(/unattended-upgrades|apt-get .*fail2ban/);
  });
});

describe('no model provider', () => {
  const keys = { authorizedKeys: ['ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIB7n4h0o3J6w0wz0h0h0h0h0h0h0h0h0h0h0h0h0h0h0 x'] };
  const plan = (over: AnswersInput) => planFor(answersSchema.parse({ target: { host: '203.0.113.10' }, deployUser: keys, stopBefore: null, ...over })).plan;
  it('a plan that deploys OpenClaw without a provider key says so in its header and in the printed plan', () => {
    const none = plan({ openclaw: { providers: {} } });
    expect(none.header.join('\n')).toMatch(/WARNING: no model provider key .*cannot answer/);
    expect(printPlan(none, { host: '203.0.113.10', identityFile: '~/.ssh/id_ed25519' })).toContain('# WARNING: no model provider key');
    expect(plan({ openclaw: { providers: { anthropic: { env: 'ANTHROPIC_API_KEY' } } } }).header.join('\n')).not.toContain('no model provider');
    // Nothing to warn about when OpenClaw is not deployed by this run.
    expect(plan({ openclaw: { providers: {} }, stopBefore: 'docker' }).header.join('\n')).not.toContain('no model provider');
  });
});
