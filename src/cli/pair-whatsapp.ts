import type { CliArgs } from './args.js';
import { CancelledError, StepFailedError, UserError } from '../core/errors.js';
import type { Io } from '../core/io.js';
import type { Executor } from '../exec/types.js';
import type { Argv } from '../plan/action.js';
import { serverPaths, type ServerPaths } from '../plan/paths.js';
import { parseWebLogin, webLoginStartArgv, webLoginWaitArgv, type WebLogin } from '../../steps/pair-whatsapp.js';
import { qrCells, qrMatrixFromPng, renderQr } from '../ui/qr.js';
import { withDeployment } from './deployment.js';

/** How long one `pair whatsapp` waits for the phone before giving up (OpenClaw rotates the QR meanwhile). */
const LINK_WAIT_MS = 3 * 60_000;
/** One `web.login.wait` call: short enough to notice a new QR or Ctrl-C soon. */
const WAIT_STEP_MS = 25_000;

/**
 * `claw-setup pair whatsapp`: the gateway's own QR login (web.login.start, then
 * web.login.wait until linked), the QR drawn here at a scannable size and redrawn
 * whenever WhatsApp rotates it.
 */
export async function pairWhatsapp(args: CliArgs, io: Io): Promise<number> {
  if (args.dryRun) {
    io.stdout("claw-setup: dry run: pair whatsapp would start OpenClaw's QR login on the server (web.login.start) and show the QR; nothing was started.\n");
    return 0;
  }
  return withDeployment(args, io, (d) => {
    if (!whatsappConfigured(d.deployed.configText))
      throw new UserError('the server runs no whatsapp channel', 'add it first: claw-setup add-channel --type whatsapp, then claw-setup pair whatsapp');
    return linkWhatsapp({
      exec: d.link.exec,
      paths: serverPaths(d.answers),
      out: d.out,
      draw: (lines) => io.stdout(lines),
      isTTY: io.isTTY,
      signal: d.signal,
      force: args.force,
    });
  });
}

export interface LinkRun {
  exec: Pick<Executor, 'run'>;
  paths: Pick<ServerPaths, 'composeDir' | 'compose'>;
  /** A line of ours or a quote of OpenClaw's, made terminal-safe. */
  out: (s: string) => void;
  /** Raw output: the QR (our own escapes, drawn from booleans only). */
  draw: (s: string) => void;
  isTTY: boolean;
  signal: AbortSignal;
  /** --force: a new login even when an account is linked already (relink). */
  force: boolean;
  /** Overall wait (default 3 min). */
  waitMs?: number;
}

/** Runs the login until OpenClaw says linked; returns 0, or throws with OpenClaw's words. */
export async function linkWhatsapp(c: LinkRun): Promise<number> {
  const start = await call(c, webLoginStartArgv(c.paths, c.force), 'start the WhatsApp login');
  if (start.connected && !start.qrPng) {
    c.out(
      `claw-setup: WhatsApp is linked already${start.message ? ` (openclaw: ${start.message})` : ''}. claw-setup pair whatsapp --force links another phone.`,
    );
    return 0;
  }
  if (!start.qrPng || !start.qrDataUrl)
    throw new StepFailedError('OpenClaw started no WhatsApp login (no QR)', start.message ? [`openclaw: ${start.message}`] : []);
  let current = start.qrDataUrl;
  show(c, start.qrPng, start.message);
  const until = Date.now() + (c.waitMs ?? LINK_WAIT_MS);
  while (Date.now() < until) {
    if (c.signal.aborted) throw new CancelledError('Cancelled. WhatsApp was not linked.');
    const w = await call(
      c,
      webLoginWaitArgv(c.paths, { sessionKey: start.sessionKey, current, timeoutMs: Math.min(WAIT_STEP_MS, until - Date.now()) }),
      'wait for the scan',
    );
    if (w.connected) {
      c.out(`claw-setup: WhatsApp is linked${w.message ? ` (openclaw: ${w.message})` : ''}. OpenClaw starts the channel now.`);
      return 0;
    }
    if (w.qrPng && w.qrDataUrl && w.qrDataUrl !== current) {
      current = w.qrDataUrl;
      show(c, w.qrPng, w.message || 'a new QR (WhatsApp rotated it)');
    }
  }
  throw new UserError('WhatsApp was not linked in time', 'run claw-setup pair whatsapp again and scan the QR within a minute');
}

async function call(c: LinkRun, argv: Argv, what: string): Promise<WebLogin> {
  const r = await c.exec.run(argv, { timeoutSec: 120, signal: c.signal });
  if (c.signal.aborted) throw new CancelledError('Cancelled. WhatsApp was not linked.');
  const answer = safeParse(r.stdout);
  if (r.code !== 0 || !answer) {
    const said = answer?.message || lastLines(r.stderr || r.stdout);
    throw new StepFailedError(`OpenClaw could not ${what}; nothing was changed`, said ? [`openclaw: ${said}`] : []);
  }
  return answer;
}

function safeParse(stdout: string): WebLogin | null {
  try {
    return parseWebLogin(stdout);
  } catch {
    return null;
  }
}

/** The QR, whole screen in a terminal (so a new one replaces the old), with what to do. */
function show(c: LinkRun, png: Buffer, message: string): void {
  const matrix = qrMatrixFromPng(png);
  const lines = renderQr(matrix, { color: c.isTTY });
  const { columns, rows } = qrCells(matrix);
  const cols = process.stdout.columns ?? 0;
  const height = process.stdout.rows ?? 0;
  if (c.isTTY) c.draw('\x1b[H\x1b[2J');
  c.draw(`${lines.join('\n')}\n`);
  c.out('Scan with WhatsApp on the phone: Settings > Linked devices > Link a device.');
  if (message) c.out(`openclaw: ${message}`);
  if (c.isTTY && (cols < columns || height < rows + 3))
    c.out(`note: the QR needs ${columns}×${rows + 3} characters; make the terminal larger if the phone cannot read it.`);
}

function whatsappConfigured(configText: string | null): boolean {
  try {
    const s = (JSON.parse(configText ?? '{}') as { channels?: Record<string, unknown> }).channels?.whatsapp;
    return Boolean(s && typeof s === 'object');
  } catch {
    return true;
  }
}

const lastLines = (s: string) =>
  s
    .replace(/\x1b\[[0-9;]*m/g, '')
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .slice(-3)
    .join(' / ')
    .slice(0, 400);
