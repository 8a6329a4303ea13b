import { describe, expect, it } from 'vitest';
import { askDrift } from '../../src/ui/plain/drift-prompt.js';
import { configDrift } from '../../steps/openclaw-drift.js';
import { renderOpenclawJson } from '../../templates/openclaw-json.js';
import { contextFor, fixture } from '../helpers.js';

const a = fixture('channels');
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const live = (edit: (c: Record<string, any>) => void): string => {
  const c = JSON.parse(renderOpenclawJson(a));
  edit(c);
  return JSON.stringify(c, null, 2);
};
const run = (configText: string) => ({ ctx: { ...contextFor(a), deployed: { configText, envKept: [] } } });

/** Answers each select with the next scripted value and records what was offered. */
function scripted(answers: string[]) {
  const asked: { message: string; values: string[] }[] = [];
  return {
    asked,
    select: async (o: { message: string; choices: { value: string }[] }) => {
      asked.push({ message: o.message, values: o.choices.map((c) => c.value) });
      return answers.shift()!;
    },
  };
}

describe('the plain prompts ask keep or revert for each key changed on the server', () => {
  const both = live((c) => {
    c.gateway.auth.rateLimit.maxAttempts = 8;
    c.tools.profile = 'minimal';
  });

  it('a key the answers cannot hold: revert or cancel only, and it says why', async () => {
    const p = scripted(['revert', 'revert']);
    const lines: string[] = [];
    expect(await askDrift(run(both), p, (l) => lines.push(l))).toBeNull();
    expect(p.asked.map((x) => x.values)).toEqual([
      ['revert', 'cancel'],
      ['keep', 'revert', 'cancel'],
    ]);
    expect(lines).toContain('  drift: gateway.auth.rateLimit.maxAttempts: on the server 8, from your answers 10');
    expect(lines.join('\n')).toContain('cannot hold gateway.auth.rateLimit.maxAttempts');
  });

  it('keep: the answers to plan again with hold the server value, and the run then leaves it as it is', async () => {
    const p = scripted(['revert', 'keep']);
    const lines: string[] = [];
    const kept = await askDrift(run(both), p, (l) => lines.push(l));
    if (kept === null || kept === 'cancel') throw new Error('expected answers');
    expect(kept.openclaw.tools.profile).toBe('minimal');
    const after = configDrift({ answers: kept, deployed: { configText: both, envKept: [] } });
    expect(after.map((d) => d.path.join('.'))).toEqual(['gateway.auth.rateLimit.maxAttempts']);
    expect(JSON.parse(renderOpenclawJson(kept, both)).tools.profile).toBe('minimal');
    expect(lines).toContain('  ✓ kept tools.profile = "minimal" (this run; to keep it in later runs, put it in your answers file)');
  });

  it('cancel stops at once; no drift asks nothing', async () => {
    const p = scripted(['cancel']);
    expect(await askDrift(run(both), p, () => {})).toBe('cancel');
    expect(p.asked).toHaveLength(1);
    const none = scripted([]);
    expect(await askDrift(run(renderOpenclawJson(a)), none, () => {})).toBeNull();
    expect(await askDrift({ ctx: contextFor(a) }, none, () => {})).toBeNull();
    expect(none.asked).toEqual([]);
  });
});
