import type { SchemaLookup } from './zod-lookup.js';

/**
 * One schema issue as a plain sentence: zod's own wording ("Too small: expected number to be
 * >=1") replaced by words a reader acts on, with a "did you mean" for typos.
 */

/** The shape of a zod issue this module reads (zod v4's `$ZodIssue` fits it). */
export interface IssueLike {
  code?: string;
  path: PropertyKey[];
  message: string;
  keys?: string[];
  values?: unknown[];
  expected?: string;
  origin?: string;
  minimum?: number | bigint;
  maximum?: number | bigint;
}

/** `ssh.port`, `openclaw.channels[0].type`. */
export function fieldName(path: readonly PropertyKey[]): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`)).join('');
}

/** Edit distance (insert, delete, substitute, swap two neighbours), case-insensitive. */
export function editDistance(a: string, b: string): number {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  const d: number[][] = Array.from({ length: x.length + 1 }, (_, i) => Array.from({ length: y.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= x.length; i++)
    for (let j = 1; j <= y.length; j++) {
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (x[i - 1] === y[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && x[i - 1] === y[j - 2] && x[i - 2] === y[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  return d[x.length][y.length];
}

/** The known word nearest to `word`, when it is close enough to be a typo (at most a third of it, and 3 edits). */
export function nearest(word: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  for (const k of known) {
    const d = editDistance(word, k);
    if (d < bestD) [best, bestD] = [k, d];
  }
  return best !== undefined && bestD <= Math.min(3, Math.max(1, Math.floor(word.length / 3))) ? best : undefined;
}

/** zod's built-in messages ("Too small: expected number to be >=1"); ours are sentences of their own. */
const RAW_ZOD = /^(?:Invalid input|Invalid option|Too small|Too big|Unrecognized key|Invalid (?:string|number|type|element|key|union))/;

const TYPE_WORDS: Record<string, string> = {
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  string: 'text in quotes',
  array: 'a list [ … ]',
  object: 'an object { … }',
};

function kindOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'string') return 'text';
  if (typeof v === 'object') return 'an object';
  return typeof v === 'number' ? 'a number' : typeof v === 'boolean' ? `${String(v)}` : typeof v;
}

/** A value safe to show back: short, printable, and only for numbers, booleans and enum-like words. */
function shownValue(v: unknown): string | null {
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (typeof v === 'string' && /^[A-Za-z0-9._:/-]{1,40}$/.test(v)) return `"${v}"`;
  return null;
}

/** The value the operator gave at `path` (undefined when none). */
export function valueAt(raw: unknown, path: readonly PropertyKey[]): unknown {
  let cur = raw;
  for (const p of path) {
    if (!cur || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[String(p)];
  }
  return cur;
}

/** One issue as a plain sentence (zod's own wording replaced; our schema's messages kept). */
export function plainMessage(issue: IssueLike, raw: unknown, schema: SchemaLookup | null): string {
  const given = valueAt(raw, issue.path);
  if (!RAW_ZOD.test(issue.message)) {
    // Our own message; add the number given when it states a range.
    const n = typeof given === 'number' && (issue.code === 'too_small' || issue.code === 'too_big') ? ` (you gave ${given})` : '';
    return `${issue.message}${n}`;
  }
  switch (issue.code) {
    case 'too_small':
    case 'too_big': {
      if (issue.origin === 'number') {
        const r = schema?.rangeAt(issue.path) ?? null;
        const min = r?.min ?? (issue.code === 'too_small' ? Number(issue.minimum) : undefined);
        const max = r?.max ?? (issue.code === 'too_big' ? Number(issue.maximum) : undefined);
        const whole = r?.int ? 'a whole number' : 'a number';
        const range = min !== undefined && max !== undefined ? `from ${min} to ${max}` : min !== undefined ? `of at least ${min}` : `of at most ${max}`;
        return `must be ${whole} ${range}${typeof given === 'number' ? `; you gave ${given}` : ''}`;
      }
      const unit = issue.origin === 'array' || issue.origin === 'set' ? 'entries' : 'characters';
      return issue.code === 'too_small' ? `needs at least ${String(issue.minimum)} ${unit}` : `may hold at most ${String(issue.maximum)} ${unit}`;
    }
    case 'invalid_type': {
      const want = TYPE_WORDS[issue.expected ?? ''] ?? issue.expected ?? 'something else';
      if (given === undefined) return `is missing: it must be ${want}`;
      const shown = shownValue(given);
      return `must be ${want}, not ${kindOf(given)}${shown && typeof given === 'string' ? ` (${shown})` : ''}`;
    }
    case 'invalid_value': {
      const options = (issue.values ?? []).map((x) => JSON.stringify(x));
      const near = typeof given === 'string' ? nearest(given, (issue.values ?? []).map(String)) : undefined;
      const shown = shownValue(given);
      return `must be one of ${options.join(', ')}${shown ? `, not ${shown}` : ''}${near ? ` (did you mean "${near}"?)` : ''}`;
    }
    case 'unrecognized_keys': {
      const known = schema?.keysAt(issue.path) ?? [];
      return (issue.keys ?? [])
        .map((k) => {
          const near = nearest(k, known);
          const where = issue.path.length ? `a field of ${fieldName(issue.path)}` : 'an answers field';
          return `is not ${where}${near ? `: did you mean ${near}?` : known.length ? ` (known: ${known.join(', ')})` : ''}`;
        })
        .join('; ');
    }
    default:
      return issue.message;
  }
}
