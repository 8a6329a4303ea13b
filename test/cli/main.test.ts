import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/core/errors.js';

describe('hostile flags', () => {
  it('day-2 commands refuse hostile operands before connecting: nothing runs', async () => {
    const { main } = await import('../../src/cli/main.js');
    const io = { stdout: () => {}, stderr: () => {}, env: {}, isTTY: false } as unknown as Parameters<typeof main>[1];
    const base = ['--answers', 'examples/answers.json5', '--host', '203.0.113.10', '--yes'];
    for (const argv of [
      ['rotate', 'x;rm -rf /'],
      ['rotate', '$(id)'],
      ['rotate', 'gateway-token\nOPENAI_API_KEY'],
      ['rotate'],
      ['upgrade', '--to', '2026.10.1;id'],
      ['upgrade', '--to', '$(reboot)'],
      ['upgrade', '--to', `2026.10.1@sha256:${'g'.repeat(64)}`],
      ['export', 'bogus'],
      ['restore', '--from', 'a;b'],
      ['restore', '--from', '../../etc/shadow'],
    ])
      await expect(main([...argv, ...base], io), argv.join(' ')).rejects.toThrow(UserError);
  });
});
