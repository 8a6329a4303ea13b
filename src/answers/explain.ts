/**
 * Turns answers-schema issues into plain sentences that name where the value
 * came from: a flag (`--set ssh.port`, `--host`), an environment variable
 * (`CLAW_SET_SSH__PORT`), or the answers file and the line of the key. Pure:
 * no I/O, the caller hands in the file's text and the overrides it applied.
 */

/** Where one answers value came from. */
export type ValueSource = { kind: 'flag'; name: string } | { kind: 'env'; name: string } | { kind: 'file'; path: string; line: number | null };

/** One value set over the answers file, in the order it was applied (later wins). */
export interface Override {
  path: string[];
  source: { kind: 'flag' | 'env'; name: string };
}

/** What rawAnswers read: the answers file (path and text) and every override applied on top of it. */
export interface AnswerSources {
  file: { path: string; text: string } | null;
  overrides: Override[];
}

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

/** Walks the schema one level: the keys an object accepts, the child schema at a key. */
export interface SchemaLookup {
  /** The keys the object at this path accepts (null when it is no object the lookup knows). */
  keysAt(path: PropertyKey[]): string[] | null;
  /** The inclusive bounds of the number at this path, when it has any. */
  rangeAt(path: PropertyKey[]): { min?: number; max?: number; int: boolean } | null;
}

/** `ssh.port`, `openclaw.channels[0].type`. */
export function fieldName(path: readonly PropertyKey[]): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`)).join('');
}

const key = (path: readonly PropertyKey[]) => path.map(String).join('.');

// ─── Where a key sits in a JSON5 text ───────────────────────────────────────

/**
 * The line (1-based) of every key and array element in a JSON5 text, by dotted
 * path ("ssh.port", "openclaw.channels.0.type"). A small scanner: comments,
 * both quote styles, unquoted keys; it never throws (a text JSON5 refused never
 * gets here).
 */
export function json5KeyLines(text: string): Map<string, number> {
  const out = new Map<string, number>();
  type Frame = { kind: 'obj'; path: string[]; key: string | null } | { kind: 'arr'; path: string[]; index: number; seen: boolean };
  const stack: Frame[] = [];
  let line = 1;
  let i = 0;
  const top = () => stack[stack.length - 1];
  /** A value starts here: in an array, it is the next element. */
  const valueStart = () => {
    const f = top();
    if (f?.kind === 'arr' && !f.seen) {
      f.seen = true;
      out.set(key([...f.path, String(f.index)]), line);
    }
  };
  const childPath = (): string[] => {
    const f = top();
    if (!f) return [];
    return f.kind === 'obj' ? [...f.path, f.key ?? ''] : [...f.path, String(f.index)];
  };
  const readString = (q: string): string => {
    let s = '';
    i++;
    while (i < text.length && text[i] !== q) {
      if (text[i] === '\\') {
        if (text[i + 1] === '\n') line++;
        s += text[i + 1] ?? '';
        i += 2;
        continue;
      }
      if (text[i] === '\n') line++;
      s += text[i++];
    }
    i++;
    return s;
  };
  while (i < text.length) {
    const c = text[i];
    if (c === '\n') {
      line++;
      i++;
    } else if (c === '/' && text[i + 1] === '/') {
      while (i < text.length && text[i] !== '\n') i++;
    } else if (c === '/' && text[i + 1] === '*') {
      i += 2;
      while (i < text.length && !(text[i] === '*' && text[i + 1] === '/')) {
        if (text[i] === '\n') line++;
        i++;
      }
      i += 2;
    } else if (c === '{' || c === '[') {
      valueStart();
      const path = childPath();
      stack.push(c === '{' ? { kind: 'obj', path, key: null } : { kind: 'arr', path, index: 0, seen: false });
      i++;
    } else if (c === '}' || c === ']') {
      stack.pop();
      i++;
    } else if (c === ',') {
      const f = top();
      if (f?.kind === 'arr') {
        f.index++;
        f.seen = false;
      } else if (f) f.key = null;
      i++;
    } else if (c === ':') {
      i++;
    } else if (c === '"' || c === "'") {
      const f = top();
      const at = line;
      const s = readString(c);
      if (f?.kind === 'obj' && f.key === null) {
        f.key = s;
        out.set(key([...f.path, s]), at);
      } else if (f?.kind === 'arr' && !f.seen) {
        f.seen = true;
        out.set(key([...f.path, String(f.index)]), at);
      }
    } else if (/\s/.test(c)) {
      i++;
    } else {
      // An unquoted key, a number, true/false/null, Infinity, NaN.
      const m = /^[^\s,:{}[\]/"']+/.exec(text.slice(i, i + 400));
      const word = m ? m[0] : c;
      const f = top();
      if (f?.kind === 'obj' && f.key === null) {
        f.key = word;
        out.set(key([...f.path, word]), line);
      } else valueStart();
      i += word.length;
    }
  }
  return out;
}

// ─── Which source gave a value ───────────────────────────────────────────────

const isPrefix = (a: readonly string[], b: readonly string[]) => a.length <= b.length && a.every((s, i) => s === b[i]);

/**
 * Where the value at `path` came from: the last override that set it (or an
 * object holding it), else the overrides below it, else the answers file and
 * the line of the key (or of its nearest ancestor in the file). Empty when the
 * value is a default nobody gave.
 */
export function sourcesOf(path: readonly PropertyKey[], s: AnswerSources, lines?: Map<string, number>): ValueSource[] {
  const p = path.map(String);
  for (let i = s.overrides.length - 1; i >= 0; i--) if (isPrefix(s.overrides[i].path, p)) return [s.overrides[i].source];
  const below = s.overrides.filter((o) => isPrefix(p, o.path)).map((o) => o.source);
  const out: ValueSource[] = [...new Map(below.map((b) => [`${b.kind}:${b.name}`, b])).values()];
  if (s.file) {
    const l = lines ?? json5KeyLines(s.file.text);
    for (let n = p.length; n > 0; n--) {
      const at = l.get(p.slice(0, n).join('.'));
      if (at !== undefined) {
        out.push({ kind: 'file', path: s.file.path, line: at });
        return out;
      }
    }
    if (p.length === 0 && out.length === 0) out.push({ kind: 'file', path: s.file.path, line: null });
  }
  return out;
}

/** "--set ssh.port", "environment variable CLAW_SET_SSH__PORT", "examples/answers.json5 line 14". */
export function describeSource(src: ValueSource): string {
  if (src.kind === 'flag') return src.name;
  if (src.kind === 'env') return `environment variable ${src.name}`;
  return src.line === null ? `answers file ${src.path}` : `${src.path} line ${src.line}`;
}

/** The source as a whole, for the header: the file without its line. */
function sourceHeading(src: ValueSource): string {
  return src.kind === 'file' ? `answers file ${src.path}` : describeSource(src);
}

// ─── Plain sentences for zod's own messages ──────────────────────────────────

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

function valueAt(raw: unknown, path: readonly PropertyKey[]): unknown {
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

// ─── The schema, read through zod's definitions ──────────────────────────────

type ZodLike = { _zod: { def: { type: string; innerType?: ZodLike; element?: ZodLike; options?: ZodLike[]; shape?: Record<string, ZodLike> } } };

const zdef = (s: ZodLike) => s._zod.def;

function unwrapZod(s: ZodLike | undefined): ZodLike | undefined {
  let cur = s;
  while (cur && ['default', 'optional', 'nullable', 'prefault', 'pipe', 'readonly'].includes(zdef(cur).type) && zdef(cur).innerType) cur = zdef(cur).innerType;
  return cur;
}

/** The members a schema can take here: the options of a union, or itself. */
function members(s: ZodLike | undefined): ZodLike[] {
  const u = unwrapZod(s);
  if (!u) return [];
  return zdef(u).type === 'union' ? (zdef(u).options ?? []).flatMap(members) : [u];
}

function childSchemas(s: ZodLike | undefined, seg: PropertyKey): ZodLike[] {
  return members(s).flatMap((m) => {
    const d = zdef(m);
    if (d.type === 'array') return d.element ? [d.element] : [];
    const shape = (m as unknown as { shape?: Record<string, ZodLike> }).shape;
    return shape && String(seg) in shape ? [shape[String(seg)]] : [];
  });
}

function schemasAt(root: ZodLike, path: readonly PropertyKey[]): ZodLike[] {
  let cur = [root];
  for (const seg of path) cur = cur.flatMap((s) => childSchemas(s, seg));
  return cur;
}

/** A SchemaLookup over a zod schema (the answers schema): keys of objects, bounds of numbers. */
export function zodLookup(root: unknown): SchemaLookup {
  const r = root as ZodLike;
  return {
    keysAt(path) {
      const keys = schemasAt(r, path)
        .flatMap(members)
        .flatMap((m) => Object.keys((m as unknown as { shape?: object }).shape ?? {}));
      return keys.length ? [...new Set(keys)] : null;
    },
    rangeAt(path) {
      const n = schemasAt(r, path)
        .flatMap(members)
        .find((m) => zdef(m).type === 'number') as unknown as { minValue: number | null; maxValue: number | null; isInt: boolean } | undefined;
      if (!n) return null;
      const ok = (x: number | null) => (x !== null && Number.isFinite(x) && Math.abs(x) < Number.MAX_SAFE_INTEGER ? x : undefined);
      return { min: ok(n.minValue), max: ok(n.maxValue), int: n.isInt };
    },
  };
}

// ─── The whole report ────────────────────────────────────────────────────────

/** Dotted answers paths a whole-object rule names in its message ("ssh.port and openclaw.gatewayPort"). */
const NAMED_PATH = /\b[a-z][A-Za-z0-9]*(?:\.[A-Za-z0-9]+)+\b/g;

/** The paths an issue is about: its own path; an unknown key's path; or, for a rule on the whole answers, the paths it names. */
function issuePaths(issue: IssueLike, raw: unknown): PropertyKey[][] {
  if (issue.code === 'unrecognized_keys' && issue.keys?.length) return issue.keys.map((k) => [...issue.path, k]);
  if (issue.path.length) return [issue.path];
  const named = [...new Set(issue.message.match(NAMED_PATH) ?? [])].map((p) => p.split('.')).filter((p) => valueAt(raw, p) !== undefined);
  return named.length ? named : [[]];
}

export interface Explained {
  /** "1 problem in --set ssh.port; nothing was planned or run:" and one line per problem. */
  message: string;
  howToFix: string;
  /** Every source named, for tests and callers. */
  sources: ValueSource[];
}

/**
 * The report for a set of issues: a header naming where the bad values came
 * from, one line per issue (field: plain sentence (from SOURCE)), and how to
 * fix it by source. `fallback` names the whole input when no source is known
 * ("the journal on the server"). At most 20 lines.
 */
export function explainIssues(
  issues: readonly IssueLike[],
  o: { raw: unknown; sources: AnswerSources | null; schema: SchemaLookup | null; fallback: string; after?: string },
): Explained {
  const lines = o.sources?.file ? json5KeyLines(o.sources.file.text) : undefined;
  const all: ValueSource[] = [];
  // One row per unknown key, named by the key itself.
  const one = issues.flatMap((i) => (i.code === 'unrecognized_keys' && i.keys && i.keys.length > 1 ? i.keys.map((k) => ({ ...i, keys: [k] })) : [i]));
  const rows = one.slice(0, 20).map((issue) => {
    const srcs = o.sources ? issuePaths(issue, o.raw).flatMap((p) => sourcesOf(p, o.sources!, lines)) : [];
    const unique = [...new Map(srcs.map((s) => [describeSource(s), s])).values()];
    all.push(...unique);
    const field = fieldName(issue.code === 'unrecognized_keys' && issue.keys?.length ? [...issue.path, issue.keys[0].slice(0, 60)] : issue.path) || '(answers)';
    const from = unique.length ? ` (from ${unique.map(describeSource).join(' and ')})` : '';
    return `  ${field}: ${plainMessage(issue, o.raw, o.schema)}${from}`;
  });
  const heads = [...new Set(all.map(sourceHeading))];
  const n = one.length;
  const count = `${n} problem${n > 1 ? 's' : ''}`;
  const where = heads.length ? heads.join(' and ') : o.fallback;
  const fixes: string[] = [];
  if (all.some((s) => s.kind === 'flag')) fixes.push('change the flag named above');
  if (all.some((s) => s.kind === 'env')) fixes.push('change or unset the environment variable named above');
  if (all.some((s) => s.kind === 'file')) fixes.push('edit the answers file at the line named above');
  if (!fixes.length) fixes.push('fix the fields above');
  return {
    message: `${count} in ${where}${o.after ?? '; nothing was planned or run'}:\n${rows.join('\n')}`,
    howToFix: `${fixes.join(', ')} and run again (README "Answers file" lists every field and its allowed values)`,
    sources: all,
  };
}

// ─── JSON5 syntax errors ─────────────────────────────────────────────────────

/**
 * A JSON5 parse error as line, column, the line itself with a caret, and a
 * how-to-fix for the usual slips (a missing comma or quote, an unclosed brace).
 */
export function json5SyntaxProblem(
  path: string,
  text: string,
  err: { message: string; lineNumber?: number; columnNumber?: number },
): { message: string; howToFix: string } {
  const what = err.message
    .replace(/^JSON5: /, '')
    .replace(/ at \d+:\d+$/, '')
    .replace(/[^\x20-\x7e]/g, '?');
  const line = err.lineNumber ?? 0;
  const col = err.columnNumber ?? 0;
  const src = text.split('\n')[line - 1];
  let excerpt = '';
  if (src !== undefined) {
    const start = Math.max(0, col - 60);
    const shown = src.slice(start, start + 100).replace(/[^\x20-\x7e]/g, ' ');
    excerpt = `\n  ${String(line).padStart(4)} | ${shown}\n       | ${' '.repeat(Math.max(0, col - 1 - start))}^`;
  }
  let howToFix = 'every field is name: value, fields are separated by commas, text goes in quotes, and every { or [ is closed';
  if (/end of input/.test(what)) howToFix = 'the file ends too early: a closing } or ] (or a quote) is missing; count the braces from the top';
  else if (/invalid character/.test(what)) {
    // The last line with content before this one, its end-of-line comment dropped.
    const before = text.split('\n').slice(0, Math.max(0, line - 1));
    let n = before.length;
    while (n > 0 && before[n - 1].replace(/\/\/[^"']*$/, '').trim() === '') n--;
    const prev = n > 0 ? before[n - 1].replace(/\/\/[^"']*$/, '').trimEnd() : '';
    if (col <= (src ?? '').search(/\S/) + 1 && prev && !/[,{[]$/.test(prev))
      howToFix = `a comma is probably missing at the end of line ${n}, before this field`;
    else howToFix = 'a comma, colon or quote is probably missing just before the caret; text values go in quotes ("like this")';
  }
  return {
    message: `answers file ${path} is not valid JSON5: ${what} at line ${line}, column ${col}${excerpt}`,
    howToFix,
  };
}
