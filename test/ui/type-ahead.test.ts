// The router between Ink's raw input and the line inputs (issue 13 item 2): what is typed after
// one field's Enter reaches the next line input, however late it mounts; nothing else is kept.
import { describe, expect, it } from 'vitest';
import { typesLine } from '../../src/ui/keymap.js';
import { applyChunk, lineOf, type Line } from '../../src/ui/wizard/line-edit.js';
import { TypeAhead, type LineConsumer } from '../../src/ui/wizard/type-ahead.js';
import { answerUntil, fresh, run } from './helpers.js';

/** A line input as the router sees it: its line, what it submitted, and whether it takes input now. */
function field() {
  const f = { line: lineOf('') as Line, submitted: [] as string[], open: true };
  const take: LineConsumer = (raw) => {
    if (!f.open) return null;
    const r = applyChunk(f.line, raw);
    f.line = r.line;
    if (r.submitted) {
      f.submitted.push(r.line.value);
      f.open = false; // replaced on the next commit
    }
    return { submitted: r.submitted, rest: r.rest };
  };
  return { f, take };
}

describe('TypeAhead', () => {
  it('keys after Enter wait for the next line input and reach it first', () => {
    const t = new TypeAhead();
    const a = field();
    const release = t.focus(a.take);
    t.feed('host\r22');
    t.feed('00');
    expect(a.f.submitted).toEqual(['host']);
    expect(t.pending).toBe('2200');
    release();
    t.feed('\x7f1\r');
    const b = field();
    t.focus(b.take);
    expect(b.f.submitted).toEqual(['2201']);
    expect(t.pending).toBe('');
  });

  it('a field that stays after its Enter (an error) takes the rest again on its next commit', () => {
    const t = new TypeAhead();
    const a = field();
    t.focus(a.take);
    t.feed('bad\rgood');
    a.f.open = true;
    t.focus(a.take);
    expect(a.f.line.value).toBe('badgood');
  });

  it('keeps nothing when no line input submitted, and drop() forgets what was held', () => {
    const t = new TypeAhead();
    t.feed('typed on the welcome screen');
    expect(t.pending).toBe('');
    const a = field();
    t.focus(a.take)();
    t.feed('x');
    expect(t.pending).toBe('');
    const b = field();
    const release = t.focus(b.take);
    t.feed('y\rz');
    release();
    t.feed('more');
    expect(t.pending).toBe('zmore');
    t.drop();
    expect(t.pending).toBe('');
    t.feed('after a choice took focus');
    expect(t.pending).toBe('');
  });
});

describe('typesLine: what the wizard shows takes typed text', () => {
  it('a text or secret question, or busy between two questions; not a choice, the welcome or the review', () => {
    const s0 = fresh();
    expect(typesLine(s0)).toBe(false);
    const host = run(s0, { type: 'start' });
    expect(typesLine(host)).toBe(true);
    expect(typesLine({ ...host, busy: { kind: 'connect', then: null } })).toBe(true);
    expect(typesLine({ ...host, hostKey: 'ED25519 SHA256:x' })).toBe(false);
    expect(typesLine(answerUntil(s0, 'target.identityFile'))).toBe(false);
    expect(typesLine(answerUntil(s0, 'deployUser.sudoPassword'))).toBe(true);
    const review = answerUntil(s0, null);
    expect(review.phase).toBe('review');
    expect(typesLine(review)).toBe(false);
    expect(typesLine(run(review, { type: 'review', action: 'save-answers' }))).toBe(true);
  });
});
