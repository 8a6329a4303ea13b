import type { Argv } from '../src/plan/action.js';
import type { ServerPaths } from '../src/plan/paths.js';
import { UserError } from '../src/core/errors.js';
import { composeArgv } from './openclaw.js';

/**
 * `claw-setup pair`: OpenClaw's own CLI inside the gateway container, and strict
 * readers of what it prints. Everything read here comes from the container,
 * which is untrusted: only the fields we need, of the shapes OpenClaw writes,
 * bounded in length; anything else is refused or dropped, never passed on.
 */

/** The channels whose DMs can be in pairing mode (WhatsApp pairs the account with a QR, see below). */
export const PAIRING_TYPES = ['telegram', 'discord', 'slack'] as const;
export type PairingType = (typeof PAIRING_TYPES)[number];

// OpenClaw's codes: 8 characters from an alphabet without 0, O, 1 and I (pairing-store, 2026.9.6).
const CODE = /^[A-HJ-NP-Z2-9]{8}$/;

/** A typed or listed pairing code, upper-cased; anything else is refused before any command exists. */
export function parsePairCode(raw: string): string {
  const code = raw.trim().toUpperCase();
  if (!CODE.test(code))
    throw new UserError(
      `"${raw.slice(0, 20)}" is not a pairing code`,
      'a code is the 8 letters and digits the bot sent (no 0, O, 1 or I), e.g. claw-setup pair telegram 7KQ2MXPA',
    );
  return code;
}

type Paths = Pick<ServerPaths, 'composeDir' | 'compose'>;
const openclaw = (p: Paths, ...args: string[]): Argv => composeArgv({ paths: p }, 'exec', '-T', 'openclaw-gateway', 'node', 'dist/index.js', ...args);

export const pairingListArgv = (p: Paths, type: PairingType): Argv => openclaw(p, 'pairing', 'list', type, '--json');

/** `code` must come from parsePairCode: it is one argv word, quoted by the executor, never pasted into a shell line. */
export const pairingApproveArgv = (p: Paths, type: PairingType, code: string): Argv => openclaw(p, 'pairing', 'approve', type, parsePairCode(code));

export interface PairingRequest {
  code: string;
  /** The sender's id on the channel (Telegram user id, Discord snowflake, Slack U…). */
  id: string;
  /** When the request was made (ISO time, as OpenClaw wrote it). */
  createdAt: string;
  /** A name to show: @username, or first and last name, when the channel gave one. */
  who: string;
}

export interface PairingList {
  requests: PairingRequest[];
  /** Entries that did not have OpenClaw's shape and were dropped. */
  dropped: number;
}

const ID = /^[A-Za-z0-9_.:@+-]{1,64}$/;
const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,9})?(Z|[+-]\d\d:\d\d)$/;

/**
 * The JSON document in `stdout`: from the first line that starts with "{" (OpenClaw's writeJson
 * prints it so; a log line before it may hold braces of its own). Null when there is none.
 */
export function firstJson(stdout: string): unknown {
  const start = /^\{/m.exec(stdout)?.index ?? -1;
  if (start < 0 || stdout.length > 1_000_000) return null;
  try {
    return JSON.parse(stdout.slice(start));
  } catch {
    return null;
  }
}

/** `openclaw pairing list <type> --json`: `{ channel, requests: [{ id, code, createdAt, lastSeenAt, meta }] }`. */
export function parsePairingList(stdout: string, type: PairingType): PairingList {
  const j = firstJson(stdout) as { channel?: unknown; requests?: unknown } | null;
  if (!j || typeof j !== 'object' || j.channel !== type || !Array.isArray(j.requests))
    throw new Error(`openclaw pairing list ${type} --json printed no list of requests`);
  const requests: PairingRequest[] = [];
  let dropped = 0;
  for (const r of j.requests.slice(0, 50) as unknown[]) {
    const e = r as { id?: unknown; code?: unknown; createdAt?: unknown; meta?: unknown } | null;
    if (!e || typeof e.id !== 'string' || !ID.test(e.id) || typeof e.code !== 'string' || !CODE.test(e.code)) dropped++;
    else if (typeof e.createdAt !== 'string' || !ISO.test(e.createdAt)) dropped++;
    else requests.push({ code: e.code, id: e.id, createdAt: e.createdAt, who: whoOf(e.meta) });
  }
  return { requests, dropped: dropped + Math.max(0, j.requests.length - 50) };
}

/** A display name from the request's meta; printable words only, short. */
function whoOf(meta: unknown): string {
  if (!meta || typeof meta !== 'object') return '';
  const m = meta as Record<string, unknown>;
  const word = (k: string) =>
    typeof m[k] === 'string'
      ? (m[k] as string)
          .replace(/[^\p{L}\p{N} ._'-]/gu, '')
          .slice(0, 40)
          .trim()
      : '';
  const user = word('username');
  const name = [word('firstName'), word('lastName'), word('name')].filter(Boolean).join(' ');
  return [user && `@${user}`, name].filter(Boolean).join(' ');
}

/** The sender OpenClaw's `pairing approve` says it approved ("Approved telegram sender 424242."), else null. */
export function approvedSender(stdout: string, type: PairingType): string | null {
  const m = new RegExp(`^Approved ${type} sender (\\S+)\\.\\s*$`, 'm').exec(stdout.replace(/\x1b\[[0-9;]*m/g, ''));
  return m && ID.test(m[1]) ? m[1] : null;
}

/** One line per request for a list or a picker: code, who, when. */
export function describeRequest(r: PairingRequest, now: Date): string {
  const mins = Math.max(0, Math.round((now.getTime() - Date.parse(r.createdAt)) / 60_000));
  const when = mins < 1 ? 'just now' : mins < 120 ? `${mins} min ago` : `${Math.round(mins / 60)} h ago`;
  return `${r.code}  ${r.id}${r.who ? ` (${r.who})` : ''}  ${when}`;
}
