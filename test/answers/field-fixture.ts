import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadAll, setPath } from '../../src/answers/load.js';
import { answersSchema } from '../../src/answers/schema.js';
import { parseCli } from '../../src/cli/args.js';
import { UserError } from '../../src/core/errors.js';

/** Shared by the answers tests: one hostile or edge value on otherwise-valid answers, and the error a command line gets. */

export const EXAMPLE = 'examples/answers.json5';

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

/** The UserError loading the answers of this command line throws (fails the test when none). */
export function failure(argv: string[], env: NodeJS.ProcessEnv = {}): UserError {
  try {
    loadAll(parseCli(argv), env);
  } catch (e) {
    if (e instanceof UserError) return e;
    throw e;
  }
  throw new Error(`no error for ${argv.join(' ')}`);
}

/** A throwaway answers file holding `text`. */
export function file(text: string): string {
  const p = join(mkdtempSync(join(tmpdir(), 'claw-load-')), 'answers.json5');
  writeFileSync(p, text);
  return p;
}
