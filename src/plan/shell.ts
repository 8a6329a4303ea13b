import type { Argv } from './action.js';

const BARE = /^[A-Za-z0-9_/.,:=@%+-]+$/;

/** Quotes one word for a POSIX shell. */
export function shQuote(s: string): string {
  if (s !== '' && BARE.test(s)) return s;
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/** Joins argv into one shell command line, every word quoted as needed. */
export function shJoin(argv: Argv): string {
  return argv.map(shQuote).join(' ');
}

/** A heredoc delimiter that does not occur as a line in `body`. */
export function heredocTag(body: string): string {
  const lines = new Set(body.split('\n'));
  let tag = 'CLAW_EOF';
  for (let i = 2; lines.has(tag); i++) tag = `CLAW_EOF_${i}`;
  return tag;
}
