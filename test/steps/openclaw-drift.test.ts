import { describe, expect, it } from 'vitest';
import { planFiles } from '../../src/plan/action.js';
import { redactText } from '../../src/core/secret.js';
import { driftLine } from '../../src/plan/drift.js';
import { canKeep, configDrift, keepDrift } from '../../steps/openclaw-drift.js';
import { planOpenclaw } from '../../steps/openclaw.js';
import { renderOpenclawJson } from '../../templates/openclaw-json.js';
import { contextFor, fixture } from '../helpers.js';

const a = fixture('channels');
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const live = (edit: (c: Record<string, any>) => void): string => {
  const c = JSON.parse(renderOpenclawJson(a));
  edit(c);
  return JSON.stringify(c, null, 2);
};
const rerun = (configText: string, answers = a) => ({ ...contextFor(answers), deployed: { configText, envKept: [] } });

describe('drift on a rerun (openclaw.json)', () => {
  it('a first run and an unchanged server have none', () => {
    expect(configDrift(contextFor(a))).toEqual([]);
    expect(configDrift(rerun(renderOpenclawJson(a)))).toEqual([]);
  });

  it('the plan says it, in the openclaw step, and the run would set the value back', () => {
    const ctx = rerun(live((c) => (c.gateway.auth.rateLimit.maxAttempts = 8)));
    const step = planOpenclaw(ctx);
    expect(step.summary).toContain('drift: gateway.auth.rateLimit.maxAttempts: on the server 8, from your answers 10 (this run sets it back)');
    const written = planFiles({ header: [], steps: [step] }).find((w) => w.path === ctx.paths.config)!;
    expect(JSON.parse(redactText(written.content)).gateway.auth.rateLimit.maxAttempts).toBe(10);
  });

  it('a changed answer is no drift: the journal says what claw-setup last wrote', () => {
    const changed = { ...a, openclaw: { ...a.openclaw, tools: { ...a.openclaw.tools, profile: 'minimal' as const } } };
    const text = live((c) => (c.gateway.auth.rateLimit.maxAttempts = 8));
    const ctx = { ...contextFor(changed), deployed: { configText: text, envKept: [], lastAnswers: JSON.parse(JSON.stringify(a)) } };
    expect(configDrift(ctx).map(driftLine)).toEqual(['drift: gateway.auth.rateLimit.maxAttempts: on the server 8, from your answers 10']);
    expect(configDrift({ ...ctx, deployed: { ...ctx.deployed, lastAnswers: undefined } })).toHaveLength(2);
  });

  it('keep: a key the answers express goes into them, and the run then writes the server value (no drift left)', () => {
    const text = live((c) => {
      c.tools.profile = 'minimal';
      c.channels.telegram.allowFrom = ['123456789'];
      c.channels.telegram.groupAllowFrom = ['123456789'];
      c.gateway.terminal.enabled = true;
    });
    const d = configDrift(rerun(text));
    expect(d.map(driftLine)).toEqual([
      'drift: gateway.terminal.enabled: on the server true, from your answers false',
      'drift: tools.profile: on the server "minimal", from your answers "messaging"',
      'drift: channels.telegram.allowFrom: on the server ["123456789"], from your answers ["123456789","987654321"]',
      'drift: channels.telegram.groupAllowFrom: on the server ["123456789"], from your answers ["123456789","987654321"]',
    ]);
    // groupAllowFrom has no answer of its own: it is kept along with allowFrom, which fills it.
    expect(canKeep(a, text, d[3])).toBe(false);
    const k = keepDrift(a, text, d.slice(0, 3));
    expect(k.reverted).toEqual([]);
    expect(k.kept).toEqual(d);
    expect(k.answers.openclaw.tools.profile).toBe('minimal');
    expect(k.answers.openclaw.terminal).toBe(true);
    expect(k.answers.openclaw.channels.find((c) => c.type === 'telegram')!.allowFrom).toEqual(['123456789']);
    expect(configDrift(rerun(text, k.answers))).toEqual([]);
    expect(JSON.parse(renderOpenclawJson(k.answers, text))).toEqual(JSON.parse(text));
  });

  it('a key the answers cannot express (the rate limit), a value they refuse, or one that would change another key: revert only', () => {
    const text = live((c) => {
      c.gateway.auth.rateLimit.maxAttempts = 8;
      c.tools.profile = 'no-such-profile';
      c.channels.telegram.allowFrom = ['123456789'];
    });
    const d = configDrift(rerun(text));
    expect(d.map((x) => x.path.at(-1))).toEqual(['maxAttempts', 'profile', 'allowFrom']);
    expect(d.map((x) => canKeep(a, text, x))).toEqual([false, false, false]);
    const k = keepDrift(a, text, d);
    expect(k.kept).toEqual([]);
    expect(k.reverted).toEqual(d);
    expect(k.answers).toBe(a);
  });
});
