// Error lines that bin/ prints fold at the terminal width with a hanging indent (issue 21 item 7:
// "wrapped error lines restart at column 0").
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { wrapReport } from '../src/core/wrap-report.js';

const ERR =
  'error: nothing accepts SSH connections on 127.0.0.1 port 22 (connection refused) (ssh: connect to host 127.0.0.1 port 22: Connection refused)\n' +
  '  how to fix: the server answers but no sshd listens on that port: check --port (a first run may have moved sshd to ssh.port), or start sshd from the provider console';

describe('wrapReport', () => {
  it('at 80 columns: no line longer, continuation lines hang under the label, nothing lost or reordered', () => {
    const out = wrapReport(ERR, 80);
    const lines = out.split('\n');
    expect(Math.max(...lines.map((l) => l.length))).toBeLessThanOrEqual(80);
    expect(lines[0]).toMatch(/^error: nothing accepts/);
    const fix = lines.findIndex((l) => l.startsWith('  how to fix: '));
    expect(fix).toBeGreaterThan(1);
    for (const l of lines.slice(1, fix)) expect(l).toMatch(/^ {7}\S/); // under "error: "
    for (const l of lines.slice(fix + 1)) expect(l).toMatch(/^ {14}\S/); // under "  how to fix: "
    expect(out.replace(/\n */g, ' ')).toBe(ERR.replace(/\n */g, ' '));
  });

  it('short lines and a width of 0 (not a terminal) are left alone; a word longer than the line is not split', () => {
    expect(wrapReport('error: short', 80)).toBe('error: short');
    expect(wrapReport(ERR, 0)).toBe(ERR);
    const path = `/home/me/${'x'.repeat(90)}/id_ed25519`;
    const out = wrapReport(`error: the identity file ${path} does not exist`, 60).split('\n');
    expect(out).toContain(`       ${path}`);
  });

  it('a label wider than half the line hangs two spaces in instead', () => {
    const out = wrapReport(`  a much longer label than usual here: ${'word '.repeat(12).trim()}`, 40).split('\n');
    expect(out.slice(1).every((l) => l.startsWith('    ') && !l.startsWith('     '))).toBe(true);
  });

  it('bin/claw-setup folds at the width of the terminal it writes to', () => {
    // script(1) gives the CLI a terminal 60 columns wide; a missing answers file is a user error.
    const r = spawnSync(
      'script',
      ['-qec', 'stty cols 60; node bin/claw-setup plan --answers /nonexistent/dir/with/a/long/name/answers.json5 --yes', '/dev/null'],
      { encoding: 'utf8', timeout: 30_000 },
    );
    const lines = r.stdout.replace(/\r/g, '').split('\n').filter(Boolean);
    expect(lines.some((l) => /error:/.test(l))).toBe(true);
    expect(Math.max(...lines.map((l) => l.length))).toBeLessThanOrEqual(60);
  });
});
