import JSON5 from 'json5';
import { terminalSafe } from '../core/terminal-text.js';

/**
 * Drift: a key claw-setup sets in openclaw.json that holds another value on the server (changed
 * by hand, with `openclaw config set`, or in the Control UI). A rerun merges the answers into the
 * live file, so such a key goes back to the answers' value: that must be said, never done
 * silently (issue 21). A key claw-setup does not set is no drift: the merge keeps it.
 */
export interface Drift {
  /** The key, one segment per level. */
  path: string[];
  /** Its value on the server. */
  server: unknown;
  /** Its value after this run (undefined: the run removes it, e.g. a channel section replaced whole). */
  ours: unknown;
}

type Json = Record<string, unknown>;
const isObject = (x: unknown): x is Json => typeof x === 'object' && x !== null && !Array.isArray(x);

/** Every leaf of a config (arrays are leaves: claw-setup sets a list whole), as key paths. */
export function leafPaths(config: unknown, prefix: string[] = []): string[][] {
  if (!isObject(config)) return prefix.length ? [prefix] : [];
  return Object.entries(config).flatMap(([k, v]) => (isObject(v) && Object.keys(v).length ? leafPaths(v, [...prefix, k]) : [[...prefix, k]]));
}

const at = (x: unknown, path: readonly string[]): unknown =>
  path.reduce<unknown>((o, k) => (isObject(o) && Object.prototype.hasOwnProperty.call(o, k) ? o[k] : undefined), x);

/** Same value, whatever the key order of objects. */
const same = (a: unknown, b: unknown): boolean => canonical(a) === canonical(b);
function canonical(x: unknown): string {
  if (Array.isArray(x)) return `[${x.map(canonical).join(',')}]`;
  if (isObject(x))
    return `{${Object.keys(x)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical(x[k])}`)
      .join(',')}}`;
  return JSON.stringify(x) ?? 'undefined';
}

function parse(text: string): Json | null {
  try {
    const v: unknown = JSON5.parse(text);
    return isObject(v) ? v : null;
  } catch {
    return null;
  }
}

/**
 * The drift a run would revert. `server`: openclaw.json as it is on the server; `rendered`: what
 * the run writes; `keys`: the leaf keys claw-setup sets (leafPaths of the answers' own config).
 * A key the server lacks is no drift (it is added, and the diff shows it); a key the server has
 * and the run drops (a channel section is replaced whole) is. An unreadable server file yields
 * none: there is nothing to compare with. `last`: what claw-setup last wrote (rendered from the
 * journal's answers), when known: a key the server still holds as claw-setup wrote it is a changed
 * answer, not drift (the diff shows it).
 */
export function findDrift(server: string, rendered: string, keys: readonly (readonly string[])[], last?: string): Drift[] {
  const live = parse(server);
  const next = parse(rendered);
  const before = last === undefined ? null : parse(last);
  if (!live || !next) return [];
  const out: Drift[] = [];
  const seen = new Set<string>();
  const consider = (path: readonly string[]) => {
    const id = JSON.stringify(path);
    if (seen.has(id)) return;
    seen.add(id);
    const was = at(live, path);
    const will = at(next, path);
    if (was === undefined || same(was, will) || (before && same(was, at(before, path)))) return;
    out.push({ path: [...path], server: was, ours: will });
  };
  keys.forEach(consider);
  // Server keys the run drops: the merge keeps every other key, so only a section the answers replace whole loses any.
  for (const path of leafPaths(live)) if (at(next, path) === undefined) consider(path);
  return out;
}

/** Values at these keys may be credentials typed in by hand: never printed. */
const SECRET_KEY = /token|secret|password|passwd|api_?key|private/i;

/** A value as the drift line shows it: JSON, short, no credential, nothing a terminal would act on. */
export function driftValue(v: unknown, path: readonly string[]): string {
  if (v === undefined) return '(not set)';
  if (typeof v === 'string' && path.some((k) => SECRET_KEY.test(k))) return '(a value, not shown)';
  const text = JSON.stringify(v);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/** The key as one dotted name; a segment that is not a plain word is quoted. */
export function driftKey(path: readonly string[]): string {
  return path.map((k, i) => (/^[A-Za-z0-9_*-]+$/.test(k) ? `${i ? '.' : ''}${k}` : `[${JSON.stringify(k)}]`)).join('');
}

/** "drift: gateway.auth.rateLimit.maxAttempts: on the server 8, from your answers 10" (safe for a terminal). */
export function driftLine(d: Drift): string {
  return terminalSafe(`drift: ${driftKey(d.path)}: on the server ${driftValue(d.server, d.path)}, from your answers ${driftValue(d.ours, d.path)}`);
}

/** What a run that set these keys back reports, one line per key. */
export function revertedLine(d: Drift): string {
  return terminalSafe(
    `reverted drift: ${driftKey(d.path)}: was ${driftValue(d.server, d.path)} on the server, now ${driftValue(d.ours, d.path)} from your answers`,
  );
}
