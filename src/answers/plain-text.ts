import { z } from 'zod';

/**
 * The first check on every user-typed string (answers file, flags, wizard): printable ASCII only,
 * and a length cap, so no newline, NUL, terminal escape or look-alike unicode reaches a command or
 * config. Its own file because every field module builds on it (validators, IP ranges, backups).
 */
export const SAFE_ASCII = /^[\x20-\x7e]*$/;

/** A string field of at most `max` printable ASCII characters; `what` names it in the messages. */
export function plain(max: number, what: string) {
  return z
    .string({ error: `${what} must be text` })
    .max(max, `${what} is too long (at most ${max} characters)`)
    .refine((s) => SAFE_ASCII.test(s), `${what} may only hold printable ASCII: no newlines, tabs, NUL or look-alike unicode`);
}
