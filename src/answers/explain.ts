import { json5KeyLines } from './json5-text.js';
import { fieldName, plainMessage, valueAt, type IssueLike } from './plain-message.js';
import type { SchemaLookup } from './zod-lookup.js';

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
