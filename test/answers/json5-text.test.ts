import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { json5KeyLines, json5SyntaxProblem } from '../../src/answers/json5-text.js';
import { EXAMPLE, failure, file } from './field-fixture.js';

describe('a JSON5 syntax error gets the line, the column and a fix', () => {
  it('a missing comma between fields', () => {
    const p = file('{\n  target: { host: "203.0.113.10" }   // the server\n  ssh: { port: 22 },\n}\n');
    const e = failure(['plan', '--answers', p]);
    expect(e.message).toMatch(
      new RegExp(`^answers file ${p} is not valid JSON5: invalid character 's' at line 3, column 3\\n {5}3 \\|   ssh: \\{ port: 22 \\},\\n {7}\\| {3}\\^$`),
    );
    expect(e.howToFix).toBe('a comma is probably missing at the end of line 2, before this field');
  });

  it('a file that ends too early', () => {
    const p = file('{\n  ssh: { port: 22 },\n');
    const e = failure(['plan', '--answers', p]);
    expect(e.message).toMatch(/invalid end of input at line 3, column 1/);
    expect(e.howToFix).toMatch(/a closing \} or \] .* is missing/);
  });

  it('a value without quotes', () => {
    const r = json5SyntaxProblem('a.json5', '{ host: vps.example.com }', { message: "JSON5: invalid character '.' at 1:12", lineNumber: 1, columnNumber: 12 });
    expect(r.message).toContain('at line 1, column 12');
    expect(r.howToFix).toMatch(/quote is probably missing just before the caret/);
  });
});

describe('json5KeyLines', () => {
  it('finds keys, nested objects and array elements, past comments and strings', () => {
    const lines = json5KeyLines(
      [
        '// head { not a key: 1 }',
        '{',
        "  'target': { host: 'a:b,{c}' },",
        '  /* block',
        '     comment: 2 */',
        '  openclaw: {',
        '    channels: [',
        '      { type: "telegram", allowFrom: ["1",',
        '        "2"] },',
        '      {',
        '        type: "discord",',
        '      },',
        '    ],',
        '  },',
        '}',
      ].join('\n'),
    );
    expect(lines.get('target')).toBe(3);
    expect(lines.get('target.host')).toBe(3);
    expect(lines.get('openclaw.channels')).toBe(7);
    expect(lines.get('openclaw.channels.0')).toBe(8);
    expect(lines.get('openclaw.channels.0.allowFrom.1')).toBe(9);
    expect(lines.get('openclaw.channels.1')).toBe(10);
    expect(lines.get('openclaw.channels.1.type')).toBe(11);
    expect(lines.has('comment')).toBe(false);
    expect(lines.has('head')).toBe(false);
  });

  it('every key path of the example file gets the line it is on', () => {
    const text = readFileSync(EXAMPLE, 'utf8');
    const lines = json5KeyLines(text);
    const src = text.split('\n');
    expect(src[lines.get('ssh.port')! - 1]).toMatch(/^\s*ssh: \{ port: 22/);
    expect(src[lines.get('monitoring.ntfyServer')! - 1]).toMatch(/^\s*ntfyServer:/);
    expect(src[lines.get('openclaw.channels.0.allowFrom')! - 1]).toMatch(/^\s*allowFrom:/);
  });
});
