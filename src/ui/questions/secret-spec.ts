import { secretShapeProblem, type EnvRef, type SecretKind } from '../../answers/rules.js';
import type { SecretSpec } from '../wizard/types.js';

/**
 * The wizard's check for a typed secret of this kind: the very rule the
 * apply-time check uses (SECRET_SHAPES in src/answers/rules.ts), so the wizard
 * refuses exactly what apply would refuse, in the same words ("that is shorter
 * than 12 characters").
 */
export function shapeCheck(kind: SecretKind): (value: string) => string | null {
  return (value) => {
    const problem = secretShapeProblem(kind, value);
    return problem === null ? null : `that ${problem}`;
  };
}

/** A prompt's SecretSpec from a rules-table entry: its Secret name, its default reference and its shape check. */
export function secretSpec(s: { name: string; kind: SecretKind; ref: EnvRef }, more: Pick<SecretSpec, 'confirm'> = {}): SecretSpec {
  return { name: s.name, ref: { env: s.ref.env }, check: shapeCheck(s.kind), ...more };
}
