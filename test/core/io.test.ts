// A plan piped to a slow reader must arrive whole: stdout is a non-blocking pipe then, and a
// single writeSync stopped at the pipe's 64 KiB with exit 0 (the example plan is ~119 KB).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const PLAN = 'node bin/claw-setup plan --answers examples/answers.json5';
const sh = (cmd: string) => spawnSync('sh', ['-c', cmd], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });

describe.skipIf(!existsSync(`${ROOT}dist/bundle`))('stdout through a pipe', () => {
  it('a reader that starts late still gets every byte of the plan, and the exit code is 0', () => {
    const whole = sh(`${PLAN} | wc -c`);
    const late = sh(`${PLAN} | (sleep 1; wc -c)`);
    expect(Number(whole.stdout.trim())).toBeGreaterThan(100_000);
    expect(late.stdout.trim()).toBe(whole.stdout.trim());
  });

  it('a reader that stops early (head) ends the output quietly: no EPIPE trace', () => {
    const r = sh(`${PLAN} | head -1`);
    expect(r.stdout.split('\n')[0]).toBe('#!/usr/bin/env bash');
    expect(r.stderr).not.toMatch(/EPIPE|Error/);
  });
});
