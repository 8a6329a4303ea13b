import { readFileSync } from 'node:fs';
import JSON5 from 'json5';
import { answersSchema, type Answers } from '../src/answers/schema.js';
import { secretsFor } from '../src/answers/secrets.js';
import { loadKeys } from '../src/answers/load.js';
import { assumedFacts, type Facts } from '../src/plan/facts.js';
import type { GateAction, Plan, RunAction, WriteAction } from '../src/plan/action.js';
import { planContext, type PlanContext } from '../src/plan/context.js';
import { deadmanProtocol } from '../src/plan/guard.js';
import { Secret } from '../src/core/secret.js';
import { buildPlan } from '../steps/index.js';

export const VARIANTS = ['minimal', 'full', 'tailscale-only-ssh', 'caddy', 'channels'] as const;

export function readAnswers(path: string): Answers {
  return answersSchema.parse(JSON5.parse(readFileSync(path, 'utf8')));
}

export function fixture(name: string): Answers {
  return readAnswers(new URL(`./fixtures/answers/${name}.json5`, import.meta.url).pathname);
}

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
