import type { CliArgs } from './args.js';
import { CancelledError, StepFailedError, UserError } from '../core/errors.js';
import type { Io } from '../core/io.js';
import type { Executor } from '../exec/types.js';
import { serverPaths, type ServerPaths } from '../plan/paths.js';
import {
  approvedSender,
  describeRequest,
  PAIRING_TYPES,
  pairingApproveArgv,
  pairingListArgv,
  parsePairCode,
  parsePairingList,
  type PairingType,
} from '../../steps/pair.js';
import { inquirerPrompts, type Prompts } from '../ui/plain/prompts.js';
import { ask, withDeployment } from './deployment.js';

/**
 * `claw-setup pair <telegram|discord|slack> [CODE]`: the pending DM pairing requests of
 * a channel in pairing mode, and one approved, with OpenClaw's own CLI in the gateway
 * container. `pair whatsapp`: the QR login (./pair-whatsapp.ts).
 */
export async function pairCommand(args: CliArgs, io: Io, prompts: Prompts = inquirerPrompts()): Promise<number> {
  const type = pairType(args.operand);
  if (type === 'whatsapp') {
    if (args.code !== undefined) throw new UserError('pair whatsapp takes no code', 'claw-setup pair whatsapp shows the QR to scan with the phone');
    const { pairWhatsapp } = await import('./pair-whatsapp.js');
    return pairWhatsapp(args, io);
  }
  // A typed code is checked before anything connects; it reaches the server only as one quoted argv word.
  const code = args.code !== undefined ? parsePairCode(args.code) : undefined;
  return withDeployment(args, io, (d) =>
    pairOnServer({
      exec: d.link.exec,
      paths: serverPaths(d.answers),
      out: d.out,
      configText: d.deployed.configText,
      type,
      code,
      picker: d.interactive && !args.dryRun ? prompts : null,
      dryRun: args.dryRun,
      now: new Date(),
    }),
  );
}

function pairType(word: string | undefined): PairingType | 'whatsapp' {
  const all = [...PAIRING_TYPES, 'whatsapp'] as const;
  if (word === undefined) throw new UserError('pair which channel?', `claw-setup pair ${all.join('|')} [CODE]`);
  const t = word.toLowerCase();
  if (!(all as readonly string[]).includes(t)) throw new UserError(`pair ${word.slice(0, 40)}: not a channel that pairs`, `one of: ${all.join(', ')}`);
  return t as PairingType | 'whatsapp';
}

export interface PairRun {
  exec: Pick<Executor, 'run'>;
  paths: Pick<ServerPaths, 'composeDir' | 'compose'>;
  /** Prints one line, made terminal-safe (OpenClaw's words are quoted through it). */
  out: (s: string) => void;
  /** openclaw.json as the server holds it. */
  configText: string | null;
  type: PairingType;
  code: string | undefined;
  /** The picker (a terminal, no --yes); null: a code must be named. */
  picker: Prompts | null;
  dryRun: boolean;
  now: Date;
}

/**
 * With a code: OpenClaw's approve at once (it refuses a code that is not pending), one start of
 * its CLI instead of three (each is ~12 s on a loaded 2-core server). Without: the list, then the
 * picker (a terminal) or a refusal that names the command (--yes), then the approve.
 */
export async function pairOnServer(c: PairRun): Promise<number> {
  const { type, out } = c;
  channelNote(c.configText, type, out);
  if (c.code !== undefined && !c.dryRun) return approve(c, c.code, '');
  const listed = await list(c);
  const { requests } = listed;
  if (!requests.length) {
    out(`claw-setup: no pending ${type} pairing requests. Ask the person to send the bot a direct message: OpenClaw answers with a code (valid 1 h).`);
    if (c.code) throw new UserError(`no pending ${type} request has code ${c.code}`, 'it may have expired (1 h) or been approved already');
    return 0;
  }
  out(`claw-setup: ${requests.length} pending ${type} pairing request${requests.length > 1 ? 's' : ''} (code, sender id, when):`);
  for (const r of requests) out(`  ${describeRequest(r, c.now)}`);
  if (listed.dropped) out(`  (${listed.dropped} more entr${listed.dropped > 1 ? 'ies' : 'y'} not in OpenClaw's shape left out)`);

  let code = c.code;
  if (code === undefined) {
    if (c.dryRun) {
      out('claw-setup: dry run: nothing was approved. Approve one with: claw-setup pair ' + `${type} CODE`);
      return 0;
    }
    if (!c.picker)
      throw new UserError(
        `pair ${type}: no code given, and with --yes (or without a terminal) nothing is picked for you`,
        `name the one to approve: claw-setup pair ${type} ${requests[0].code}`,
      );
    const picker = c.picker;
    const choice = await ask(() =>
      picker.select({
        message: `Approve which ${type} sender? They may then talk to the agent in direct messages.`,
        choices: [...requests.map((r) => ({ name: describeRequest(r, c.now), value: r.code })), { name: 'none (cancel)', value: '' }],
      }),
    );
    if (!choice) throw new CancelledError('Cancelled. Nothing was approved.');
    code = choice;
  }
  const request = requests.find((r) => r.code === code);
  if (!request) throw new UserError(`no pending ${type} request has code ${code}`, `pending: ${requests.map((r) => r.code).join(', ')}`);
  if (c.dryRun) {
    out(`claw-setup: dry run: would approve ${code} (${type} sender ${request.id}) with: openclaw pairing approve ${type} ${code}`);
    return 0;
  }
  return approve(c, code, request.who);
}

/** `openclaw pairing approve`; done only when OpenClaw says which sender it approved. */
async function approve(c: PairRun, code: string, who: string): Promise<number> {
  const { type, out } = c;
  const r = await c.exec.run(pairingApproveArgv(c.paths, type, code), { timeoutSec: 90 });
  const said = openclawLines(`${r.stdout}\n${r.stderr}`);
  if (r.code !== 0 && said.some((l) => /no pending pairing request/i.test(l)))
    throw new UserError(
      `no pending ${type} request has code ${code}`,
      `it may have expired (1 h) or been approved already; claw-setup pair ${type} lists the pending ones`,
    );
  const id = approvedSender(r.stdout, type);
  if (r.code !== 0 || !id) throw new StepFailedError(`approving ${code} failed; nothing was changed`, said);
  for (const l of openclawLines(r.stdout)) out(`  openclaw: ${l}`);
  out(`claw-setup: approved: ${type} sender ${id}${who ? ` (${who})` : ''} may now message the bot directly.`);
  return 0;
}

async function list(c: PairRun) {
  const r = await c.exec.run(pairingListArgv(c.paths, c.type), { purpose: 'probe', timeoutSec: 90 });
  if (r.code !== 0)
    throw new StepFailedError(`OpenClaw could not list the ${c.type} pairing requests; nothing was changed`, openclawLines(r.stderr || r.stdout));
  try {
    return parsePairingList(r.stdout, c.type);
  } catch (e) {
    throw new StepFailedError((e as Error).message, openclawLines(r.stderr));
  }
}

/** Says when the channel is missing (an error) or not in pairing mode (a note: then OpenClaw makes no requests). */
function channelNote(configText: string | null, type: PairingType, out: (s: string) => void): void {
  let section: unknown;
  try {
    section = (JSON.parse(configText ?? '{}') as { channels?: Record<string, unknown> }).channels?.[type];
  } catch {
    return;
  }
  if (!section || typeof section !== 'object')
    throw new UserError(`the server runs no ${type} channel`, `add it first: claw-setup add-channel --type ${type} (with dmPolicy "pairing")`);
  const policy = (section as { dmPolicy?: unknown }).dmPolicy ?? 'pairing';
  if (policy !== 'pairing')
    out(`claw-setup: note: ${type} DMs are "${String(policy).slice(0, 20)}", not "pairing": OpenClaw makes no new pairing requests for this channel.`);
}

/** OpenClaw's last lines, colours taken out (the caller's printer makes the rest terminal-safe). */
function openclawLines(s: string): string[] {
  return s
    .replace(/\x1b\[[0-9;]*m/g, '')
    .split('\n')
    .map((l) => l.trim().slice(0, 300))
    .filter(Boolean)
    .slice(-8);
}
