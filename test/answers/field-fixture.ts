import { setPath } from '../../src/answers/load.js';
import { answersSchema } from '../../src/answers/schema.js';

/** Shared by the answers field tests: one hostile or edge value on otherwise-valid answers. */

export const KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOzac/xuB9gNpgB4w5HHB6XCSigKaq1/D/1Wknm6DDhs you@laptop';

/** Sets one field on otherwise-valid answers. */
export function withField(path: string, value: unknown) {
  const base: Record<string, unknown> = { target: { host: '203.0.113.10' }, deployUser: { authorizedKeys: [KEY] } };
  setPath(base as never, path, value as never);
  return base;
}

/** The messages of every issue on one field of otherwise-valid answers ([] when valid). */
export function issuesOn(path: string, value: unknown): string[] {
  const r = answersSchema.safeParse(withField(path, value));
  return r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
}
