import { Secret } from '../../core/secret.js';
import type { Field, FieldValue } from './types.js';

/** What an input widget hands back: text, a yes/no, or the chosen values of a multi-select. */
export type RawInput = string | boolean | string[];

export type Parsed = { ok: true; value: FieldValue } | { ok: false; error: string };

const CONTROL = /[\x00-\x1f\x7f]/;

/** Splits a comma-separated list; empty items dropped. */
export function splitList(s: string): string[] {
  return s
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);
}

/** Answers-file key names in schema messages, as the wizard says them (it never shows a key). */
const SPOKEN: [RegExp, string][] = [[/\boperatorIp\b/g, 'your IP address']];

/** A schema message in the wizard's words: "operatorIp must be …" becomes "your IP address must be …". */
export const spoken = (message: string): string => SPOKEN.reduce((m, [re, words]) => m.replace(re, words), message);

function firstIssue(field: Field, value: unknown): string | null {
  if (!field.schema) return null;
  const r = field.schema.safeParse(value);
  if (r.success) return null;
  const issue = r.error.issues[0];
  const item = issue.path.find((p) => typeof p === 'number');
  const message = spoken(issue.message);
  return typeof item === 'number' && Array.isArray(value) ? `item ${item + 1} (${String(value[item]).slice(0, 40)}): ${message}` : message;
}

/** Turns raw input into the field's value, validated by the field's schema piece. Pure. */
export function parseField(field: Field, raw: RawInput): Parsed {
  let value: FieldValue;
  switch (field.kind) {
    case 'secret':
      return { ok: false, error: 'internal: secrets go through parseSecret' };
    case 'bool':
      value = raw === true || raw === 'yes' || raw === 'true';
      break;
    case 'multi':
      value = Array.isArray(raw) ? raw : splitList(String(raw));
      break;
    case 'select':
      value = String(raw);
      if (field.options && !field.options.some((o) => o.value === value)) return { ok: false, error: 'pick one of the choices' };
      break;
    case 'list': {
      value = Array.isArray(raw) ? raw : splitList(String(raw));
      if (value.length === 0 && field.required) return { ok: false, error: field.required };
      break;
    }
    case 'number': {
      const s = String(raw).trim();
      if (!/^\d{1,9}$/.test(s)) return { ok: false, error: s === '' ? (field.required ?? 'enter a number') : 'must be a whole number' };
      value = Number(s);
      break;
    }
    case 'text': {
      const s = String(raw).trim();
      if (s === '') {
        if (field.optional) return { ok: true, value: null };
        return { ok: false, error: field.required ?? 'an answer is needed here' };
      }
      value = s;
      break;
    }
  }
  const error = firstIssue(field, value);
  return error ? { ok: false, error } : { ok: true, value };
}

/** The origin of a secret left empty in a dry run. */
const DRY_RUN_ORIGIN = 'left empty in a dry run';

/**
 * What an empty masked field stands for in a dry run: the plan prints it as <secret:NAME> like any
 * secret, and a dry run never reads a value, so trying the tool needs no live credential.
 * Reading it throws, so it can never reach a real run.
 */
function dryRunSecret(name: string): Secret {
  return new Secret(name, DRY_RUN_ORIGIN, () => {
    throw new Error(`${name} was left empty in a dry run`);
  });
}

/** True for a secret left empty in a dry run. */
export const leftEmpty = (v: unknown): boolean => v instanceof Secret && v.origin === DRY_RUN_ORIGIN;

/** A typed secret: checked for shape, then wrapped at once so the value never travels as a string again. */
export function parseSecret(field: Field, input: string): { ok: true; value: Secret | null } | { ok: false; error: string } {
  const spec = field.secret!;
  // A paste often carries the line end with it; Ink then inserts it instead of submitting.
  const raw = input.replace(/[\r\n]+$/, '');
  if (raw === '' && field.optional) return { ok: true, value: null };
  if (raw === '')
    return spec.dryRun ? { ok: true, value: dryRunSecret(spec.name) } : { ok: false, error: 'nothing typed: paste or type the value (it is not shown)' };
  if (CONTROL.test(raw)) return { ok: false, error: 'the value holds a newline or control character; paste it again' };
  if (raw.length > 4096) return { ok: false, error: 'the value is longer than 4096 characters' };
  const problem = spec.check?.(raw);
  if (problem) return { ok: false, error: problem };
  return { ok: true, value: Secret.of(spec.name, raw) };
}

/** Non-secret text for the live check under the field; null when fine or nothing typed yet. */
export function liveError(field: Field, text: string): string | null {
  if (field.kind === 'secret' || field.kind === 'bool' || field.kind === 'select' || field.kind === 'multi') return null;
  if (text.trim() === '') return null;
  const r = parseField(field, text);
  return r.ok ? null : r.error;
}
