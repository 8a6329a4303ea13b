import { CHANNEL_GUIDE, channelFromFlags } from '../answers/channel-input.js';
import { CHANNEL_TYPES, type ChannelType } from '../answers/rules.js';
import type { Answers } from '../answers/schema.js';
import { UserError } from '../core/errors.js';
import type { Prompts } from '../ui/plain/prompts.js';
import { ask } from './deployment.js';

/** The type picker: every type the table knows, the ones the server already runs marked (choosing one replaces it). */
export async function pickChannelType(prompts: Prompts, running: readonly string[]): Promise<ChannelType> {
  return (await ask(() =>
    prompts.select({
      message: 'Which channel do you want to add?',
      choices: CHANNEL_TYPES.map((t) => ({ name: `${CHANNEL_GUIDE[t].label}${running.includes(t) ? ' (already set up: replaces it)' : ''}`, value: t })),
    }),
  )) as ChannelType;
}

/** A prompt's validate from the answers schema itself: the same words a --set value would get. */
function checkedBy(type: ChannelType, sets: string[], answers: Answers, field: string) {
  return (v: string): true | string => {
    if (!v.trim()) return true;
    try {
      channelFromFlags(type, [...sets, `${field}=${v}`], answers);
      return true;
    } catch (e) {
      return e instanceof UserError ? e.message.replace(/^.*?--set /, '') : String(e);
    }
  };
}

/**
 * `add-channel` in a terminal without --type: the channel's settings asked one by one, each with
 * where to find it, every value checked by the answers schema as it is typed. Returns `--set`
 * lines for channelFromFlags, which validates them once more as a whole. The credentials are
 * asked afterwards, masked (channelSecrets).
 */
export async function guideChannel(prompts: Prompts, out: (s: string) => void, type: ChannelType, answers: Answers, given: string[]): Promise<string[]> {
  const g = CHANNEL_GUIDE[type];
  const sets = [...given];
  out(`${g.label}: ${g.token ?? 'no token: after this, link the WhatsApp account by scanning a QR code (claw-setup pair whatsapp).'}`);
  const policy = await ask(() =>
    prompts.select({
      message: `Who may message the ${g.label} bot directly?`,
      choices: [
        { name: 'only the IDs I list (allowlist)', value: 'allowlist' },
        { name: 'anyone who completes pairing (you approve each)', value: 'pairing' },
        { name: 'nobody (direct messages off)', value: 'disabled' },
      ],
      default: 'allowlist',
    }),
  );
  sets.push(`dmPolicy=${policy}`);
  out(g.ids);
  const check = checkedBy(type, sets, answers, 'allowFrom');
  const ids = await ask(() =>
    prompts.input({
      message: `Allowed senders (comma-separated)${policy === 'allowlist' ? '' : ', optional'}:`,
      validate: (v) => (!v.trim() && policy === 'allowlist' ? 'an allowlist needs at least one ID (otherwise every message is dropped)' : check(v)),
    }),
  );
  if (ids.trim()) sets.push(`allowFrom=${ids.trim()}`);
  if (type === 'telegram' && !given.some((s) => s.startsWith('apiRoot='))) {
    const root = await ask(() =>
      prompts.input({
        message: 'Bot API server (Enter for api.telegram.org; set it only for a self-hosted Bot API server):',
        validate: checkedBy(type, sets, answers, 'apiRoot'),
      }),
    );
    if (root.trim()) sets.push(`apiRoot=${root.trim()}`);
  }
  return sets;
}
