import { describe, expect, it } from 'vitest';
import { parseCli } from '../../src/cli/args.js';
import { UserError } from '../../src/core/errors.js';

describe('hostile flags', () => {
  it('unknown flags and commands are user errors', () => {
    expect(() => parseCli(['--frobnicate'])).toThrow(UserError);
    expect(() => parseCli(['destroy'])).toThrow(UserError);
  });
});
