import { describe, expect, it } from 'vitest';
import { parseCli } from '../../src/cli/args.js';
import { UserError } from '../../src/core/errors.js';
import { loadBase } from '../../src/ui/init.js';

const EXAMPLE = 'examples/answers.json5';

describe('the wizard reports given values the same way before its first screen', () => {
  it("--host 'x;rm -rf /' with an answers file names --host", () => {
    let err: unknown;
    try {
      loadBase(parseCli(['--answers', EXAMPLE, '--host', 'x;rm -rf /']), {});
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(UserError);
    expect((err as UserError).message).toContain('1 problem in --host:');
    expect((err as UserError).message).not.toContain('answers file');
  });

  it('a misspelt key is reported, not dropped', () => {
    expect(() => loadBase(parseCli(['--set', 'sssh.port=2222']), {})).toThrow(/did you mean ssh\?/);
  });
});
