import type { core } from 'zod';
import { pathKey } from './draft.js';
import type { Field } from './types.js';

/**
 * The question an answers-schema issue belongs to: the field at the issue's
 * path (or its closest ancestor or descendant); for whole-object rules such as
 * "port used twice", the first field whose path the message names.
 */
export function locateIssue(fields: readonly Field[], issue: Pick<core.$ZodIssue, 'path' | 'message'>): Field | undefined {
  const key = issue.path.map(String).join('.');
  const withPath = fields.filter((f) => f.path);
  if (key) {
    const exact = withPath.find((f) => pathKey(f.path!) === key);
    if (exact) return exact;
    const ancestors = withPath.filter((f) => key.startsWith(`${pathKey(f.path!)}.`)).sort((a, b) => b.path!.length - a.path!.length);
    if (ancestors[0]) return ancestors[0];
    const below = withPath.find((f) => pathKey(f.path!).startsWith(`${key}.`));
    if (below) return below;
  }
  const named = withPath.filter((f) => !f.given && issue.message.includes(pathKey(f.path!)));
  return named[named.length - 1] ?? withPath.find((f) => issue.message.includes(pathKey(f.path!)));
}
