// steps/egress.ts: the egress step's place in the plan (after Docker, before the gateway first
// starts) and what it does there. The answers: test/answers/egress.test.ts; the script and units it
// installs: test/templates/egress.test.ts.
import { describe, expect, it } from 'vitest';
import { answersSchema, STEP_IDS } from '../../src/answers/schema.js';
import { EGRESS_SCRIPT, EGRESS_UNIT } from '../../templates/egress.js';
import { actionLines, planFor } from '../helpers.js';

describe('the egress step in the plan', () => {
  const plan = (answers: Record<string, unknown>) =>
    planFor(
      answersSchema.parse({
        deployUser: { authorizedKeys: ['ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl e2e'] },
        ...answers,
      }),
    ).plan;

  it('comes after Docker and before the gateway first starts; stopBefore accepts it', () => {
    const ids = plan({ target: { host: '203.0.113.10' } }).steps.map((s) => s.id);
    expect(ids.indexOf('egress')).toBe(ids.indexOf('docker') + 1);
    expect(ids.indexOf('openclaw')).toBe(ids.indexOf('egress') + 1);
    expect(STEP_IDS.indexOf('egress')).toBe(STEP_IDS.indexOf('docker') + 1);
    expect(plan({ target: { host: '203.0.113.10' }, stopBefore: 'egress' }).steps.map((s) => s.id)).not.toContain('egress');
  });

  it('applies only when --check says the live rules differ; writes the script root-only', () => {
    const step = plan({ target: { host: '203.0.113.10' }, openclaw: { egress: { allow: ['10.0.0.5:11434'] } } }).steps.find((s) => s.id === 'egress')!;
    const acts = step.actions;
    const script = acts.find((x) => x.kind === 'write' && x.path === EGRESS_SCRIPT);
    expect(script).toMatchObject({ mode: 0o700, owner: 'root' });
    const apply = acts.find((x) => x.kind === 'run' && x.title === 'apply the egress rules now');
    expect(apply).toMatchObject({ argv: ['systemctl', 'restart', EGRESS_UNIT], skipIf: [EGRESS_SCRIPT, '--check'] });
    expect(step.summary[0]).toContain('10.0.0.5/32 port 11434');
  });
  it('writes the script and the three units, reloads only on change, enables both, applies last; the summary follows the mode', () => {
    const step = plan({ target: { host: '203.0.113.10' }, openclaw: { egress: { mode: 'allowlist', allow: ['203.0.113.5:3128'] } } }).steps.find(
      (s) => s.id === 'egress',
    )!;
    expect(actionLines(step.actions)).toEqual([
      `write ${EGRESS_SCRIPT}`,
      'write /etc/systemd/system/claw-setup-egress.service',
      'write /etc/systemd/system/claw-setup-egress-dns.path',
      'write /etc/systemd/system/claw-setup-egress-dns.service',
      'systemctl daemon-reload',
      `systemctl enable ${EGRESS_UNIT}`,
      'systemctl enable --now claw-setup-egress-dns.path',
      `systemctl restart ${EGRESS_UNIT}`,
    ]);
    expect(step.actions[4]).toMatchObject({ when: 'changed' });
    expect(step.summary[0]).toBe('the gateway container (br-openclaw) reaches only DNS and: 203.0.113.5/32 port 3128');
  });
});
