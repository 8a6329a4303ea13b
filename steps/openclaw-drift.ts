import { answersSchema, type Answers } from '../src/answers/schema.js';
import { findDrift, leafPaths, type Drift } from '../src/plan/drift.js';
import type { PlanContext } from '../src/plan/context.js';
import { openclawConfig, renderOpenclawJson } from '../templates/openclaw-json.js';

/**
 * Drift on a rerun: keys of openclaw.json that claw-setup sets and the server holds with another
 * value. The run would set them back; the front ends say so and, in a terminal, ask keep or revert.
 */
export function configDrift(ctx: Pick<PlanContext, 'answers' | 'deployed'>): Drift[] {
  if (!ctx.deployed) return [];
  const a = ctx.answers;
  const last = answersSchema.safeParse(ctx.deployed.lastAnswers);
  const wrote = ctx.deployed.lastAnswers !== undefined && last.success ? JSON.stringify(openclawConfig(last.data)) : undefined;
  return findDrift(ctx.deployed.configText, renderOpenclawJson(a, ctx.deployed.configText), leafPaths(openclawConfig(a)), wrote);
}

type Raw = Record<string, unknown>;

/**
 * Where an openclaw.json key comes from in the answers, for the keys an answer expresses one to
 * one. Any other key claw-setup sets (the rate limit, the bind address, the allowed origins…) is
 * fixed by claw-setup: the answers cannot keep another value, only revert it.
 */
function answerPath(path: readonly string[], a: Answers): (string | number)[] | null {
  const key = path.join('.');
  const fixed: Record<string, string[]> = {
    'gateway.terminal.enabled': ['openclaw', 'terminal'],
    'tools.profile': ['openclaw', 'tools', 'profile'],
    'tools.deny': ['openclaw', 'tools', 'deny'],
    'agents.defaults.sandbox.mode': ['openclaw', 'sandbox', 'mode'],
    'agents.defaults.sandbox.docker.network': ['openclaw', 'sandbox', 'network'],
    'agents.defaults.model.primary': ['openclaw', 'model'],
  };
  if (fixed[key]) return fixed[key];
  const [top, type, field, ...rest] = path;
  const i = a.openclaw.channels.findIndex((c) => c.type === type);
  if (top === 'channels' && i >= 0 && rest.length === 0 && (field === 'dmPolicy' || field === 'allowFrom')) return ['openclaw', 'channels', i, field];
  return null;
}

function setAt(raw: Raw, path: (string | number)[], value: unknown): Raw {
  const [k, ...rest] = path;
  const copy: Raw = Array.isArray(raw) ? ([...raw] as unknown as Raw) : { ...raw };
  (copy as Record<string | number, unknown>)[k] = rest.length ? setAt((copy as Record<string | number, unknown>)[k] as Raw, rest, value) : value;
  return copy;
}

export interface KeptDrift {
  /** The answers with the kept keys at the server's values. */
  answers: Answers;
  /** Kept: after this run the server's value is still there (a key kept along with another is listed too). */
  kept: Drift[];
  /** Still set back by this run: not expressible in the answers, not as the server has it, or not chosen. */
  reverted: Drift[];
}

const sameKey = (x: Drift, y: Drift) => x.path.join('\0') === y.path.join('\0');

/**
 * "Keep": the server's value goes into the answers, so this run writes it back as it is (and the
 * journal records it). Checked by rendering: a key is kept only when the patched answers leave no
 * drift on it and no new drift anywhere else (one answer may feed several keys: `allowFrom` also
 * fills `groupAllowFrom`, so keeping a hand edit of one of them alone would change the other).
 */
export function keepDrift(answers: Answers, configText: string, keep: readonly Drift[]): KeptDrift {
  const driftOf = (x: Answers) => configDrift({ answers: x, deployed: { configText, envKept: [] } });
  const all = driftOf(answers);
  let current = answers;
  for (const d of keep) {
    const where = answerPath(d.path, current);
    const tried = where ? answersSchema.safeParse(setAt(current as unknown as Raw, where, d.server)) : null;
    if (!tried?.success) continue;
    const left = driftOf(tried.data);
    if (!left.some((x) => sameKey(x, d)) && left.every((x) => all.some((y) => sameKey(x, y)))) current = tried.data;
  }
  const left = driftOf(current);
  return { answers: current, kept: all.filter((d) => !left.some((x) => sameKey(x, d))), reverted: left };
}

/** Whether "keep" can be offered for this key (else revert or cancel only). */
export function canKeep(answers: Answers, configText: string, d: Drift): boolean {
  return keepDrift(answers, configText, [d]).kept.some((x) => sameKey(x, d));
}
