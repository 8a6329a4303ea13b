// Shared fixtures of the day-2 change tests (rotate, upgrade, the change runner): one deployment
// with a provider and a Telegram channel, as the server would hold it.
import { answersSchema } from '../src/answers/schema.js';
import type { GuardedGroup } from '../src/plan/action.js';
import type { Deployed } from '../src/plan/deployed-state.js';
import { renderOpenclawJson } from '../templates/openclaw-json.js';

export const base = answersSchema.parse({
  target: { host: '203.0.113.10' },
  deployUser: { authorizedKeys: ['ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIB7n4h0o3J6w0wz0h0h0h0h0h0h0h0h0h0h0h0h0h0h0 x'] },
  openclaw: {
    providers: { anthropic: { env: 'ANTHROPIC_API_KEY' } },
    channels: [{ type: 'telegram', botToken: { env: 'TELEGRAM_BOT_TOKEN' }, allowFrom: ['123456789'] }],
  },
});

/** What the server holds: openclaw.json of `base`, and .env names beyond the ones claw-setup knows (TZ, HTTPS_PROXY). */
export const deployed = (over: Partial<Deployed> = {}): Deployed => ({
  configText: renderOpenclawJson(base),
  envKeys: ['OPENCLAW_GATEWAY_TOKEN', 'ANTHROPIC_API_KEY', 'TELEGRAM_BOT_TOKEN', 'TZ', 'HTTPS_PROXY'],
  journal: { tool: 'claw-setup', answers: base },
  journalAnswers: base,
  ...over,
});

export const groupOf = (actions: readonly { kind: string }[]) => actions.find((a) => a.kind === 'guarded') as GuardedGroup;
