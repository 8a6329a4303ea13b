import { readFileSync } from 'node:fs';
import JSON5 from 'json5';
import { answersSchema, type Answers, type AnswersInput } from '../src/answers/schema.js';
import { secretsFor } from '../src/answers/secrets.js';
import { loadKeys } from '../src/answers/load.js';
import { assumedFacts, type Facts } from '../src/plan/facts.js';
import type { Action, GateAction, GuardedGroup, Plan, RunAction, Step, WriteAction } from '../src/plan/action.js';
import { planContext, type PlanContext } from '../src/plan/context.js';
import { deadmanProtocol } from '../src/plan/guard.js';
import { printPlan } from '../src/plan/print.js';
import { Secret } from '../src/core/secret.js';
import { buildPlan } from '../steps/index.js';

/** Every answers file in test/fixtures/answers (test/tree-map.test.ts checks the folder holds exactly these). */
export const FIXTURES = ['minimal', 'full', 'tailscale-only-ssh', 'caddy', 'channels', 'offsite'] as const;
export type FixtureName = (typeof FIXTURES)[number];

/**
 * The fixtures with a golden plan and export (snapshots/<name>/plan.sh, snapshots/export/<name>/).
 * offsite has none: it differs from full only in its backups, whose plan test/steps/backups.test.ts
 * checks; its rendered files are golden too (test/template-variants.ts renders every fixture).
 */
export const VARIANTS = FIXTURES.filter((f): f is Exclude<FixtureName, 'offsite'> => f !== 'offsite');

/** examples/answers.json5: the README's answers file, which the goldens and several step tests plan. */
export const EXAMPLE = new URL('../examples/answers.json5', import.meta.url).pathname;

export function readAnswers(path: string): Answers {
  return answersSchema.parse(JSON5.parse(readFileSync(path, 'utf8')));
}

/** The one loader of the answers fixtures (test/template-variants.ts uses it too). */
export function fixture(name: string): Answers {
  // Callers pass names from loops over plain string lists; a name outside FIXTURES is a test bug.
  if (!(FIXTURES as readonly string[]).includes(name)) throw new Error(`no answers fixture "${name}" (FIXTURES: ${FIXTURES.join(', ')})`);
  return readAnswers(new URL(`./fixtures/answers/${name}.json5`, import.meta.url).pathname);
}

/** A deploy key the planners accept (never a real one). */
export const TEST_KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOzac/xuB9gNpgB4w5HHB6XCSigKaq1/D/1Wknm6DDhs you@laptop';

/** Answers for a server at 203.0.113.10 with one deploy key; `extra` sets any other section. */
export const answersWith = (extra: AnswersInput = {}): Answers =>
  answersSchema.parse({ target: { host: '203.0.113.10' }, ...extra, deployUser: { authorizedKeys: [TEST_KEY], ...extra.deployUser } });

/** The plan as `claw-setup plan` prints it for 203.0.113.10. */
export const printed = (plan: Plan): string => printPlan(plan, { host: '203.0.113.10', identityFile: '~/.ssh/id_ed25519' });

export const stepOf = (plan: Plan, id: string): Step | undefined => plan.steps.find((s) => s.id === id);

/** The guarded group with this id, in whichever step plans it. */
export const groupOf = (plan: Plan, id: string): GuardedGroup | undefined =>
  plan.steps.flatMap((s) => s.actions).find((a): a is GuardedGroup => a.kind === 'guarded' && a.id === id);

/** One line per action, to compare order: the argv of a run, `write PATH`, `gate TITLE`, `guarded ID`. */
export const actionLines = (actions: readonly Action[]): string[] =>
  actions.map((a) =>
    a.kind === 'run' ? a.argv.join(' ') : a.kind === 'write' ? `write ${a.path}` : a.kind === 'gate' ? `gate ${a.title}` : `guarded ${a.id}`,
  );

/** Sentinel values, one per secret name, unique enough to grep for. */
export function sentinels(): Record<string, Secret> {
  const names = [
    'SUDO_PASSWORD',
    'TS_AUTHKEY',
    'OPENCLAW_GATEWAY_TOKEN',
    'ANTHROPIC_API_KEY',
    'OPENAI_API_KEY',
    'OPENROUTER_API_KEY',
    'GEMINI_API_KEY',
    'MISTRAL_API_KEY',
    'GROQ_API_KEY',
    'XAI_API_KEY',
    'TELEGRAM_BOT_TOKEN',
    'DISCORD_BOT_TOKEN',
    'SLACK_BOT_TOKEN',
    'SLACK_APP_TOKEN',
    'DISCORD_WEBHOOK_URL',
  ];
  return Object.fromEntries(names.map((n) => [n, Secret.of(n, `SENTINEL_${n}_7f3a9c`)]));
}

export function contextFor(a: Answers, facts: Facts = assumedFacts('ubuntu-24.04', a.target.user, '198.51.100.7')): PlanContext {
  return planContext(a, facts, secretsFor(a, {}, sentinels()), loadKeys(a));
}

export function planFor(a: Answers, facts?: Facts) {
  const ctx = contextFor(a, facts);
  return { ctx, plan: buildPlan(ctx) };
}

/** Every run, write and gate a plan can send, guard setup, disarm and revert included. */
export function everyAction(plan: Plan): (RunAction | WriteAction | GateAction)[] {
  const out: (RunAction | WriteAction | GateAction)[] = [];
  for (const s of plan.steps)
    for (const a of s.actions) {
      if (a.kind !== 'guarded') out.push(a);
      else {
        const dm = deadmanProtocol(a);
        out.push(...dm.prepare, dm.arm, ...a.actions, ...a.gates, dm.disarm, dm.restore);
      }
    }
  return out;
}
