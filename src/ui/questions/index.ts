import type { Draft } from '../wizard/draft.js';
import type { Values, WalkContext } from '../wizard/types.js';
import { Walk } from '../wizard/walk.js';
import { channelQuestions } from './channels.js';
import { openclawQuestions } from './openclaw.js';
import { fail2banQuestions, firewallQuestions, sshQuestions, tailscaleQuestions, updatesQuestions } from './server.js';
import { accessQuestions, backupsQuestions, monitoringQuestions } from './services.js';
import { deployUserQuestions, targetQuestions } from './target.js';

/** Every question, in the order the screens are shown. */
const MODULES = [
  targetQuestions,
  deployUserQuestions,
  firewallQuestions,
  tailscaleQuestions,
  sshQuestions,
  fail2banQuestions,
  updatesQuestions,
  openclawQuestions,
  channelQuestions,
  accessQuestions,
  backupsQuestions,
  monitoringQuestions,
];

let memo: { base: Draft; values: Values; ctx: WalkContext; walk: Walk } | null = null;

/** The questions and the draft for these answers so far. Pure; the last result is memoised (views and reducer ask often). */
export function walkAll(base: Draft, values: Values, ctx: WalkContext): Walk {
  if (memo && memo.base === base && memo.values === values && memo.ctx === ctx) return memo.walk;
  const walk = new Walk(base, values, ctx);
  for (const m of MODULES) m(walk);
  memo = { base, values, ctx, walk };
  return walk;
}
