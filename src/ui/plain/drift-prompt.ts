import type { Answers } from '../../answers/schema.js';
import type { PlannedRun } from '../../rollout/session.js';
import { driftKey, driftLine, driftValue } from '../../plan/drift.js';
import { canKeep, configDrift, keepDrift } from '../../../steps/openclaw-drift.js';
import type { Prompts } from './prompts.js';

/**
 * A rerun that would set keys changed on the server back to the answers' values asks first, one
 * key at a time: keep the server's value (into the answers for this run; offered only when the
 * answers can hold it exactly) or revert, or cancel the whole run. Returns the answers to plan
 * again with (something kept), null (everything reverted, or no drift), or 'cancel'.
 */
export async function askDrift(run: Pick<PlannedRun, 'ctx'>, p: Pick<Prompts, 'select'>, say: (l: string) => void): Promise<Answers | null | 'cancel'> {
  const { ctx } = run;
  const drift = configDrift(ctx);
  if (!drift.length || !ctx.deployed) return null;
  const server = ctx.deployed.configText;
  say(`\n== Changed on the server: ${drift.length} key(s) claw-setup sets ==`);
  const keep = [];
  for (const d of drift) {
    say(`  ${driftLine(d)}`);
    const keepable = canKeep(ctx.answers, server, d);
    if (!keepable) say(`  Your answers cannot hold ${driftKey(d.path)} as the server has it (claw-setup sets it): revert it, or cancel.`);
    const choice = await p.select({
      message: `${driftKey(d.path)}: keep the server's ${driftValue(d.server, d.path)} or set it back?`,
      choices: [
        ...(keepable ? [{ name: `keep ${driftValue(d.server, d.path)} (the server's value, into the answers of this run)`, value: 'keep' }] : []),
        { name: `revert to ${driftValue(d.ours, d.path)} (from your answers)`, value: 'revert' },
        { name: 'cancel (nothing is changed)', value: 'cancel' },
      ],
    });
    if (choice === 'cancel') return 'cancel';
    if (choice === 'keep') keep.push(d);
  }
  if (!keep.length) return null;
  const k = keepDrift(ctx.answers, server, keep);
  for (const d of k.kept)
    say(`  ✓ kept ${driftKey(d.path)} = ${driftValue(d.server, d.path)} (this run; to keep it in later runs, put it in your answers file)`);
  return k.answers;
}
