import type { z } from 'zod';
import type { SecretRef } from '../../answers/secret-ref.js';
import { Secret } from '../../core/secret.js';
import { clone, getPath, pathKey, setPath, type Draft, type Path } from './draft.js';
import { defaultAt, schemaAt } from './schema-piece.js';
import { leftEmpty } from './parse-field.js';
import type { Field, FieldValue, ScreenId, SecretSpec, Values, WalkContext } from './types.js';

type FieldSpec = Omit<Field, 'initial' | 'schema' | 'path' | 'given'> & {
  path: Path;
  initial?: Field['initial'];
  /** Defaults to the answers-schema piece at `path`. */
  schema?: z.ZodType;
  /** How the answer is stored in the draft (default: as is). */
  toDraft?: (v: FieldValue) => unknown;
};
type ChoiceSpec = Omit<Field, 'path' | 'given' | 'initial'> & { initial: Field['initial'] };
type SecretFieldSpec = Omit<Field, 'kind' | 'path' | 'given' | 'initial' | 'secret'> & { path: Path; secret: SecretSpec };

/** "set (hidden)" and friends: how an answered value is shown afterwards. Never a secret's value. */
export function displayValue(f: Field, v: FieldValue | undefined): string {
  if (v instanceof Secret) return secretState(v);
  if (f.display && v !== undefined) return f.display(v);
  if (v === undefined) return '';
  if (v === null) return 'none';
  if (typeof v === 'boolean') return v ? 'yes' : 'no';
  if (Array.isArray(v)) return v.length ? v.join(', ') : 'none';
  const opt = f.options?.find((o) => o.value === v);
  return opt ? opt.label : String(v);
}

/** How a typed secret shows afterwards: never its value. */
export const secretState = (v: FieldValue | undefined): string =>
  v === null ? 'none' : leftEmpty(v) ? `left empty (dry run: ${String(v)} in the plan)` : 'set (hidden)';

export const describeRef = (ref: SecretRef): string => ('env' in ref ? `from environment variable ${ref.env}` : `from file ${ref.file}`);

const toInitial = (v: unknown): Field['initial'] =>
  v === undefined ? null : typeof v === 'string' || typeof v === 'boolean' || typeof v === 'number' || v === null ? v : Array.isArray(v) ? v.map(String) : null;

/**
 * Builds the question list in order from the answers so far. Each question
 * module calls ask/choose/secret; a question's presence depends only on
 * answers before it, so the list is stable as the operator moves forward.
 */
export class Walk {
  readonly fields: Field[] = [];
  readonly overrides: Record<string, Secret> = {};
  draft: Draft;

  constructor(
    base: Draft,
    readonly values: Values,
    readonly ctx: WalkContext,
  ) {
    this.draft = clone(base);
  }

  /** The value at `path`: from the draft, else the schema default. */
  get(path: Path): unknown {
    const v = getPath(this.draft, path);
    return v !== undefined ? v : defaultAt(path, this.draft);
  }

  set(path: Path, value: unknown): void {
    this.draft = setPath(this.draft, path, value);
  }

  isProvided(path: Path): boolean {
    return this.ctx.provided.has(pathKey(path));
  }

  /** A question whose answer lands at `path`. Returns the value in effect (answer, given, or default). */
  ask(spec: FieldSpec): unknown {
    const { toDraft, ...rest } = spec;
    const field: Field = { ...rest, schema: spec.schema ?? schemaAt(spec.path, this.draft), initial: null };
    if (this.isProvided(spec.path)) {
      const v = this.get(spec.path);
      this.fields.push({ ...field, initial: toInitial(v), given: displayValue(field, v as FieldValue) });
      return v;
    }
    const answered = this.values[spec.id];
    if (answered !== undefined && !(answered instanceof Secret)) {
      this.set(spec.path, toDraft ? toDraft(answered) : answered);
      this.fields.push({ ...field, initial: toInitial(answered) });
      return this.get(spec.path);
    }
    const initial = spec.initial !== undefined ? spec.initial : toInitial(this.get(spec.path));
    this.fields.push({ ...field, initial });
    if (spec.initial !== undefined && spec.initial !== null) this.set(spec.path, toDraft ? toDraft(spec.initial as FieldValue) : spec.initial);
    return this.get(spec.path);
  }

  /**
   * A wizard-only choice (no draft path): returns the answer, or the initial value while unanswered.
   * Once answered, the answer is what the question starts from when the operator comes back to it.
   */
  choose(spec: ChoiceSpec): FieldValue {
    const v = this.values[spec.id];
    const answered = v !== undefined && !(v instanceof Secret);
    this.fields.push({ ...spec, path: null, initial: answered ? toInitial(v) : spec.initial });
    return v !== undefined ? v : spec.initial;
  }

  /** A secret: skipped when its reference can be read now; otherwise typed, masked, and kept as an override. */
  secret(spec: SecretFieldSpec): void {
    const fileRef = getPath(this.draft, spec.path) as SecretRef | undefined;
    const ref = fileRef && typeof fileRef === 'object' ? fileRef : spec.secret.ref;
    const typed = this.values[spec.id];
    const field: Field = {
      ...spec,
      kind: 'secret',
      path: spec.path,
      initial: null,
      secret: { ...spec.secret, ref, ...(this.ctx.dryRun ? { dryRun: true } : {}) },
    };
    this.set(spec.path, ref);
    if (typed instanceof Secret) {
      this.overrides[spec.secret.name] = typed;
      this.fields.push(field);
    } else if (typed === null && spec.optional) {
      // An optional secret left empty: none.
      this.set(spec.path, null);
      this.fields.push(field);
    } else if (this.ctx.available(ref)) {
      this.fields.push({ ...field, given: describeRef(ref) });
    } else {
      this.fields.push(field);
    }
  }

  /** Marks a screen's questions as given as a whole (e.g. the answers file lists the channels). */
  given(id: string, screen: ScreenId, label: string, text: string): void {
    this.fields.push({ id, screen, label, kind: 'text', path: null, initial: null, given: text });
  }
}
