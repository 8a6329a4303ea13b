// src/plan/diff.ts: the unified diff the review shows, compared with what GNU diff -u prints.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { unifiedDiff } from '../../src/plan/diff.js';
import { run, tempDir } from '../tool-runner.js';

const tmp = tempDir('diff');
afterAll(() => tmp.cleanup());

describe('unifiedDiff', () => {
  const cases: [string, string][] = [
    ['a\nb\nc\n', 'a\nB\nc\n'],
    ['', 'x\ny\n'],
    ['x\ny\n', ''],
    [
      Array.from({ length: 40 }, (_, i) => `l${i}`).join('\n') + '\n',
      Array.from({ length: 40 }, (_, i) => (i % 13 === 5 ? `L${i}` : `l${i}`)).join('\n') + '\nend\n',
    ],
    ['{\n  "a": 1,\n  "b": 2\n}\n', '{\n  "a": 1,\n  "b": 2,\n  "channels": {\n    "telegram": {}\n  }\n}\n'],
  ];
  it.each(cases.map((c, i) => [i, ...c]))('case %i is what GNU diff -u prints', (i, a, b) => {
    const fa = join(tmp.dir, `a${i}`);
    const fb = join(tmp.dir, `b${i}`);
    writeFileSync(fa, a as string);
    writeFileSync(fb, b as string);
    const gnu = run('diff', ['-u', fa, fb]).stdout.split('\n').slice(2).join('\n');
    const ours = unifiedDiff(a as string, b as string, { from: 'x', to: 'y' })
      .split('\n')
      .slice(2)
      .join('\n');
    expect(ours).toBe(gnu);
  });
  it('is empty for equal texts', () => expect(unifiedDiff('a\n', 'a\n', { from: 'x', to: 'y' })).toBe(''));
});
