/**
 * A one-line editor as pure functions: raw terminal input (one read, which may
 * hold many keys) is split into keys and applied in order to { value, cursor }.
 * The readline keys people know work; no control byte ever lands in the value.
 */
export interface Line {
  value: string;
  /** Index into `value` (UTF-16 units, always on a code point boundary), 0..value.length. */
  cursor: number;
}

export type EditOp =
  | 'left'
  | 'right'
  | 'home'
  | 'end'
  | 'word-left'
  | 'word-right'
  | 'backspace'
  | 'delete'
  | 'kill-start'
  | 'kill-end'
  | 'kill-word-back'
  | 'kill-space-word-back'
  | 'kill-word-forward';

/** One key: text to insert, an edit, Enter, or something a line editor ignores (Esc, Tab, unknown sequences); `raw` is its bytes. */
export type LineKey = ({ kind: 'text'; text: string } | { kind: 'edit'; op: EditOp } | { kind: 'enter' } | { kind: 'ignore' }) & { raw: string };

const ESC = '\x1b';

/** Single control bytes (readline's emacs bindings). */
const CONTROL: Record<string, EditOp> = {
  '\x01': 'home', // Ctrl-A
  '\x02': 'left', // Ctrl-B
  '\x04': 'delete', // Ctrl-D (a line editor does not end input on it)
  '\x05': 'end', // Ctrl-E
  '\x06': 'right', // Ctrl-F
  '\x08': 'backspace', // Ctrl-H
  '\x0b': 'kill-end', // Ctrl-K
  '\x15': 'kill-start', // Ctrl-U
  '\x17': 'kill-space-word-back', // Ctrl-W
  '\x7f': 'backspace',
};

/** Alt (Meta) + a byte: ESC then the byte. */
const META: Record<string, EditOp> = {
  b: 'word-left',
  B: 'word-left',
  f: 'word-right',
  F: 'word-right',
  d: 'kill-word-forward',
  D: 'kill-word-forward',
  '\x7f': 'kill-word-back',
  '\x08': 'kill-word-back',
};

/** CSI / SS3 final bytes and "~" codes for cursor keys. */
const FINAL: Record<string, EditOp> = { D: 'left', C: 'right', H: 'home', F: 'end' };
const TILDE: Record<string, EditOp> = { '1': 'home', '7': 'home', '4': 'end', '8': 'end', '3': 'delete' };
/** rxvt's Ctrl-arrows (SS3 lower case). */
const RXVT: Record<string, EditOp> = { d: 'word-left', c: 'word-right' };

const isFinal = (c: number) => c >= 0x40 && c <= 0x7e;
const isParam = (c: number) => c >= 0x20 && c <= 0x3f;

/** Reads a CSI (ESC [ …) or SS3 (ESC O x) sequence at `i` (after any extra ESC); returns its end, or -1 when it is not one. */
function sequenceEnd(s: string, i: number): number {
  if (s[i] === 'O') return i + 1 < s.length ? i + 2 : -1;
  if (s[i] !== '[') return -1;
  let j = i + 1;
  if (s[j] === '[') j++; // the Linux console's ESC [ [ A
  for (; j < s.length; j++) {
    const c = s.charCodeAt(j);
    if (isParam(c)) continue;
    return isFinal(c) ? j + 1 : -1;
  }
  return -1;
}

/** The key a CSI/SS3 sequence stands for; `alt` when it came as ESC ESC [ … (Alt held). */
function sequenceKey(seq: string, alt: boolean): LineKey {
  const raw = `${alt ? ESC : ''}${ESC}${seq}`;
  const body = seq.slice(1); // drop "[" or "O"
  const final = body[body.length - 1];
  if (seq[0] === 'O') {
    const op = FINAL[final] ?? RXVT[final];
    return op ? { kind: 'edit', op, raw } : { kind: 'ignore', raw };
  }
  const params = body.slice(0, -1).replace(/^\[/, '').split(';');
  // xterm modifiers: 1 + (shift 1 | alt 2 | ctrl 4); Ctrl or Alt with an arrow jumps a word.
  const mod = Number(params[1] ?? '1') - 1;
  const wordy = alt || (mod > 0 && (mod & 6) !== 0);
  let op: EditOp | undefined = final === '~' ? TILDE[params[0]] : FINAL[final];
  if (op === 'left' && wordy) op = 'word-left';
  else if (op === 'right' && wordy) op = 'word-right';
  else if (op === 'delete' && wordy) op = 'kill-word-forward';
  return op ? { kind: 'edit', op, raw } : { kind: 'ignore', raw };
}

const printable = (cp: number) => cp >= 0x20 && cp !== 0x7f && !(cp >= 0x80 && cp <= 0x9f);

/** Splits raw input into keys, in order. A run of printable characters is one text key. */
export function splitKeys(raw: string): LineKey[] {
  const keys: LineKey[] = [];
  let text = '';
  const flush = () => {
    if (text) keys.push({ kind: 'text', text, raw: text });
    text = '';
  };
  for (let i = 0; i < raw.length;) {
    const cp = raw.codePointAt(i)!;
    const ch = String.fromCodePoint(cp);
    if (printable(cp)) {
      text += ch;
      i += ch.length;
      continue;
    }
    flush();
    if (ch === '\r' || ch === '\n') {
      const len = ch === '\r' && raw[i + 1] === '\n' ? 2 : 1;
      keys.push({ kind: 'enter', raw: raw.slice(i, i + len) });
      i += len;
      continue;
    }
    if (ch !== ESC) {
      const op = CONTROL[ch];
      keys.push(op ? { kind: 'edit', op, raw: ch } : { kind: 'ignore', raw: ch });
      i += 1;
      continue;
    }
    // ESC: a sequence (maybe after a second ESC, i.e. with Alt), Alt + a byte, or Esc alone.
    const alt = raw[i + 1] === ESC;
    const at = alt ? i + 2 : i + 1;
    const end = sequenceEnd(raw, at);
    if (end > 0) {
      keys.push(sequenceKey(raw.slice(at, end), alt));
      i = end;
      continue;
    }
    const next = raw[i + 1];
    if (next !== undefined && next !== ESC && META[next]) {
      keys.push({ kind: 'edit', op: META[next], raw: raw.slice(i, i + 2) });
      i += 2;
      continue;
    }
    // Esc alone, or Alt + a key a line editor has no use for: ignored, never typed.
    const len = next === undefined || next === ESC ? 1 : 1 + String.fromCodePoint(raw.codePointAt(i + 1)!).length;
    keys.push({ kind: 'ignore', raw: raw.slice(i, i + len) });
    i += len;
  }
  flush();
  return keys;
}

const isWordChar = (ch: string) => /[\p{L}\p{N}_]/u.test(ch);
const notSpace = (ch: string) => !/\s/.test(ch);

/** The code point just before / at an index (a surrogate pair is one). */
function before(s: string, i: number): string {
  if (i <= 0) return '';
  const low = s.charCodeAt(i - 1);
  return s.slice(low >= 0xdc00 && low <= 0xdfff && i >= 2 ? i - 2 : i - 1, i);
}
const after = (s: string, i: number) => (i >= s.length ? '' : String.fromCodePoint(s.codePointAt(i)!));

/** Start of the word before the cursor (readline's backward-word: skip non-word, then word). */
function wordLeft(s: string, i: number, word: (ch: string) => boolean): number {
  let j = i;
  while (j > 0 && !word(before(s, j))) j -= before(s, j).length;
  while (j > 0 && word(before(s, j))) j -= before(s, j).length;
  return j;
}

/** End of the word after the cursor (readline's forward-word). */
function wordRight(s: string, i: number): number {
  let j = i;
  while (j < s.length && !isWordChar(after(s, j))) j += after(s, j).length;
  while (j < s.length && isWordChar(after(s, j))) j += after(s, j).length;
  return j;
}

const cut = (l: Line, from: number, to: number): Line => ({ value: l.value.slice(0, from) + l.value.slice(to), cursor: from });

/** Applies one edit. */
export function applyEdit(l: Line, op: EditOp): Line {
  const { value: v, cursor: c } = l;
  switch (op) {
    case 'left':
      return { value: v, cursor: c - before(v, c).length };
    case 'right':
      return { value: v, cursor: c + after(v, c).length };
    case 'home':
      return { value: v, cursor: 0 };
    case 'end':
      return { value: v, cursor: v.length };
    case 'word-left':
      return { value: v, cursor: wordLeft(v, c, isWordChar) };
    case 'word-right':
      return { value: v, cursor: wordRight(v, c) };
    case 'backspace':
      return cut(l, c - before(v, c).length, c);
    case 'delete':
      return cut(l, c, c + after(v, c).length);
    case 'kill-start':
      return cut(l, 0, c);
    case 'kill-end':
      return cut(l, c, v.length);
    case 'kill-word-back':
      return cut(l, wordLeft(v, c, isWordChar), c);
    case 'kill-space-word-back':
      return cut(l, wordLeft(v, c, notSpace), c);
    case 'kill-word-forward':
      return cut(l, c, wordRight(v, c));
  }
}

export const lineOf = (value: string): Line => ({ value, cursor: value.length });

/** Inserts text at the cursor. */
export const insert = (l: Line, text: string): Line => ({ value: l.value.slice(0, l.cursor) + text + l.value.slice(l.cursor), cursor: l.cursor + text.length });

export interface ChunkResult {
  line: Line;
  /** Enter was pressed: `line` is what to submit. */
  submitted: boolean;
  /** What came after that Enter (for the next input), as raw text; '' when nothing did. */
  rest: string;
}

/**
 * Applies a raw chunk to a line, key by key, up to and including the first
 * Enter. Keys after that Enter are returned untouched in `rest`, so an input
 * that mounts next can take them: typing ahead is never lost.
 */
export function applyChunk(l: Line, raw: string): ChunkResult {
  let line = l;
  let consumed = 0;
  for (const k of splitKeys(raw)) {
    consumed += k.raw.length;
    if (k.kind === 'enter') return { line, submitted: true, rest: raw.slice(consumed) };
    if (k.kind === 'text') line = insert(line, k.text);
    else if (k.kind === 'edit') line = applyEdit(line, k.op);
  }
  return { line, submitted: false, rest: '' };
}
