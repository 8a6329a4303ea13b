// Shared fixtures of the lockdown tests: deployments as the server would hold them.
import { answersSchema, type Answers } from '../src/answers/schema.js';
import type { Action, GuardedGroup } from '../src/plan/action.js';
import type { Deployed } from '../src/plan/deployed-state.js';
import { renderOpenclawJson } from '../templates/openclaw-json.js';

export const KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIB7n4h0o3J6w0wz0h0h0h0h0h0h0h0h0h0h0h0h0h0h0 x';
export const answers = (extra: Record<string, unknown> = {}): Answers =>
  answersSchema.parse({
    target: { host: '203.0.113.10' },
    deployUser: { authorizedKeys: [KEY] },
    openclaw: {
      providers: { anthropic: { env: 'ANTHROPIC_API_KEY' } },
      channels: [
        { type: 'telegram', botToken: { env: 'TELEGRAM_BOT_TOKEN' }, allowFrom: ['123456789'] },
        { type: 'discord', token: { env: 'DISCORD_BOT_TOKEN' }, allowFrom: ['123456789012345678'], guilds: ['223456789012345678'] },
      ],
    },
    ...extra,
  });
export const base = answers();
export const caddy = answers({ access: { mode: 'caddy', domain: 'claw.example.com', email: 'ops@example.com' } });
export const serve = answers({
  tailscale: { enabled: true, authKey: { env: 'TS_AUTHKEY' } },
  access: { mode: 'tailscale-serve', tailnetDomain: 'tail1234.ts.net' },
});
export const NOW = new Date('2026-12-07T14:00:00.123Z');
export const deployed = (a: Answers, over: Partial<Deployed> = {}): Deployed => ({
  configText: renderOpenclawJson(a),
  envKeys: ['OPENCLAW_GATEWAY_TOKEN', 'ANTHROPIC_API_KEY', 'TELEGRAM_BOT_TOKEN', 'DISCORD_BOT_TOKEN'],
  journal: { tool: 'claw-setup', answers: a },
  journalAnswers: a,
  ...over,
});
export const locked = (a: Answers) => ({
  tool: 'claw-setup',
  answers: a,
  lockdown: { state: 'locked', since: '2026-12-07T13:00:00Z', snapshot: 'x', access: a.access.mode },
});
export const flat = (actions: readonly Action[]): Action[] => actions.flatMap((x): Action[] => (x.kind === 'guarded' ? [x, ...x.actions] : [x]));
export const groupOf = (actions: readonly Action[]) => actions.find((x) => x.kind === 'guarded') as GuardedGroup;
export const titles = (actions: readonly Action[]) => actions.map((x) => x.title);
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = Record<string, any>;
