// The line editor behind every text and secret field (issue 13 item 2): a whole read of raw
// input is applied key by key, the readline keys work, and no control byte is ever typed.
import { describe, expect, it } from 'vitest';
import { applyChunk, applyEdit, lineOf, splitKeys, type EditOp, type Line } from '../../src/ui/wizard/line-edit.js';

/** "ab|c" ↔ { value: 'abc', cursor: 2 } */
const at = (s: string): Line => ({ value: s.replace('|', ''), cursor: s.indexOf('|') < 0 ? s.length : s.indexOf('|') });
const show = (l: Line) => `${l.value.slice(0, l.cursor)}|${l.value.slice(l.cursor)}`;
const type = (start: string, raw: string) => show(applyChunk(at(start), raw).line);

const CTRL = (c: string) => String.fromCharCode(c.toUpperCase().charCodeAt(0) - 64);
const ALT = (c: string) => `\x1b${c}`;
const K = {
  bs: '\x7f',
  left: '\x1b[D',
  right: '\x1b[C',
  home: '\x1b[H',
  end: '\x1b[F',
  home1: '\x1b[1~',
  end4: '\x1b[4~',
  homeSs3: '\x1bOH',
  endSs3: '\x1bOF',
  del: '\x1b[3~',
  ctrlLeft: '\x1b[1;5D',
  ctrlRight: '\x1b[1;5C',
  altLeft: '\x1b[1;3D',
  metaLeft: '\x1b\x1b[D',
  rxvtCtrlLeft: '\x1bOd',
};

describe('a whole read, key by key', () => {
  it('three Backspaces in one read delete three characters (tmux send-keys BSpace BSpace BSpace)', () => {
    expect(type('example.org|', K.bs.repeat(3))).toBe('example.|');
    expect(type('03:00|', '\x7f\x7f\x7f\x7f\x7f25:00')).toBe('25:00|');
    expect(type('abc|', '\b\b')).toBe('a|');
  });

  it('mixes text, edits and sequences in one read, in order', () => {
    expect(type('|', `hello${K.left}${K.left}XY${K.end}!`)).toBe('helXYlo!|');
    expect(type('|', `a${K.bs}b${CTRL('a')}c${CTRL('e')}d`)).toBe('cbd|');
  });

  it('no control byte ever lands in the value', () => {
    const all = Array.from({ length: 32 }, (_, i) => String.fromCharCode(i)).join('') + '\x7f\x9b\x1b[200~\x1b[Z\x1b[15~\x1b[1;2P';
    const { line } = applyChunk(lineOf('x'), all.replace(/[\r\n]/g, ''));
    expect(line.value).toMatch(/^[\x20-\x7e]*$/);
    expect(type('ab|', '\t\x00\x1b\x1b')).toBe('ab|');
  });

  it('keeps multi-byte characters whole', () => {
    expect(type('|', `né😀${K.bs}${K.left}${K.bs}`)).toBe('|é');
    expect(type('a😀b|', `${K.left}${K.left}${K.del}`)).toBe('a|b');
  });
});

describe('readline keys', () => {
  const cases: [string, string, string, string][] = [
    ['Ctrl-A', 'host.example|', CTRL('a'), '|host.example'],
    ['Ctrl-E', '|host.example', CTRL('e'), 'host.example|'],
    ['Ctrl-B / Ctrl-F', 'abc|', `${CTRL('b')}${CTRL('b')}${CTRL('f')}`, 'ab|c'],
    ['Ctrl-U kills to the start', 'foo bar|baz', CTRL('u'), '|baz'],
    ['Ctrl-K kills to the end', 'foo bar|baz', CTRL('k'), 'foo bar|'],
    ['Ctrl-W kills the previous space-separated word', 'ssh deploy@host.example  |', CTRL('w'), 'ssh |'],
    ['Alt-Backspace kills the previous word', 'deploy@host.example|', ALT('\x7f'), 'deploy@host.|'],
    ['Alt-D kills the next word', 'a |host.example', ALT('d'), 'a |.example'],
    ['Ctrl-D deletes forward', 'ab|c', CTRL('d'), 'ab|'],
    ['Alt-B jumps a word back', 'one two.three|', ALT('b'), 'one two.|three'],
    ['Alt-F jumps a word forward', '|one two', `${ALT('f')}${ALT('f')}`, 'one two|'],
    ['Ctrl-Left', 'one two|', K.ctrlLeft, 'one |two'],
    ['Ctrl-Right', '|one two', K.ctrlRight, 'one| two'],
    ['Alt-Left (xterm)', 'one two|', K.altLeft, 'one |two'],
    ['Alt-Left (ESC ESC [D)', 'one two|', K.metaLeft, 'one |two'],
    ['Ctrl-Left (rxvt)', 'one two|', K.rxvtCtrlLeft, 'one |two'],
    ['Home / End', 'ab|c', `${K.home}X${K.end}Y`, 'XabcY|'],
    ['Home / End (ESC [1~ / [4~)', 'ab|c', `${K.home1}X${K.end4}Y`, 'XabcY|'],
    ['Home / End (SS3)', 'ab|c', `${K.homeSs3}X${K.endSs3}Y`, 'XabcY|'],
    ['Left / Right', 'abc|', `${K.left}${K.left}${K.right}`, 'ab|c'],
    ['Delete', 'a|bc', K.del, 'a|c'],
    ['Ctrl-Delete kills the next word', '|one two', '\x1b[3;5~', '| two'],
  ];
  it.each(cases)('%s', (_name, start, raw, want) => expect(type(start, raw)).toBe(want));

  it('edits at the edges are no-ops', () => {
    const ops: EditOp[] = ['left', 'backspace', 'word-left', 'kill-start', 'kill-word-back', 'kill-space-word-back'];
    for (const op of ops) expect(show(applyEdit(at('|ab'), op))).toBe('|ab');
    for (const op of ['right', 'delete', 'word-right', 'kill-end', 'kill-word-forward'] as EditOp[]) expect(show(applyEdit(at('ab|'), op))).toBe('ab|');
  });
});

describe('Enter', () => {
  it('submits what came before it and hands the rest on untouched', () => {
    expect(applyChunk(at('|'), 'example.org\r22\r')).toEqual({ line: at('example.org|'), submitted: true, rest: '22\r' });
    expect(applyChunk(at('a|'), `\r${K.bs}x`)).toEqual({ line: at('a|'), submitted: true, rest: `${K.bs}x` });
  });

  it('a pasted secret ending in a newline submits (LF, CR or CRLF, counted once)', () => {
    for (const nl of ['\n', '\r', '\r\n'])
      expect(applyChunk(lineOf(''), `s3cret-value${nl}`)).toEqual({ line: lineOf('s3cret-value'), submitted: true, rest: '' });
  });

  it('without Enter, nothing is submitted and nothing is left over', () => {
    expect(applyChunk(at('|'), 'abc')).toEqual({ line: at('abc|'), submitted: false, rest: '' });
  });
});

describe('splitKeys', () => {
  it('every key keeps its raw bytes, and they add up to the input', () => {
    const raw = `ab\x7f\x1b[1;5D\x1bb\r\n\x1b\x1b[C\x1b\tz`;
    const keys = splitKeys(raw);
    expect(keys.map((k) => k.raw).join('')).toBe(raw);
    expect(keys.map((k) => k.kind)).toEqual(['text', 'edit', 'edit', 'edit', 'enter', 'edit', 'ignore', 'text']);
  });

  it('a lone Esc is ignored (the root handles it as "back")', () => {
    expect(splitKeys('\x1b')).toEqual([{ kind: 'ignore', raw: '\x1b' }]);
  });
});
