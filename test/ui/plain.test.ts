import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseCli } from '../../src/cli/args.js';
import { UserError } from '../../src/core/errors.js';
import type { Io } from '../../src/core/io.js';
import { runPlain } from '../../src/ui/run-plain.js';
import { dryDeps, keyDir, scripted } from './helpers.js';

const S = 'S3NT1NEL';
const { key } = keyDir();
const here = process.cwd();
afterEach(() => process.chdir(here));

function io(isTTY = true): Io & { out: () => string } {
  let out = '';
  return { stdout: (s) => (out += s), stderr: (s) => (out += s), env: {}, isTTY, out: () => out };
}

describe('--plain', () => {
  it('refuses without a terminal and names the flags to use', async () => {
    await expect(runPlain(parseCli(['--plain']), io(false))).rejects.toThrow(UserError);
    await expect(runPlain(parseCli(['--plain']), io(false))).rejects.toThrow(/no terminal/);
  });

  it('asks every question as line prompts, masks secrets, and a dry run saves the plan', async () => {
    let sudo = 0;
    const s = scripted((kind, m) => {
      if (/^Server address/.test(m)) return ['203.0.113.10', '\r'];
      if (kind === 'password' && /Sudo|again/.test(m)) return [++sudo === 2 ? `mismatch-${S}` : `pw-${S}-sudo`, '\r'];
      if (kind === 'password') return [`sk-${S}`, '\r'];
      if (/^Private key/.test(m)) return ['\r'];
      return ['\r'];
    });
    const term = io();
    process.chdir(mkdtempSync(join(tmpdir(), 'claw-plain-'))); // where the dry run saves its plan
    const code = await runPlain(parseCli(['--dry-run', '--plain', '--identity', key]), term, s.prompts, dryDeps());
    expect(code).toBe(0);
    expect(s.seen).toContain('input: Server address (IP address or host name of the fresh VPS)');
    expect(s.seen.filter((x) => x.startsWith('password: Sudo password')).length).toBe(2); // the mismatch made it ask again
    expect(term.out()).toContain('the two entries differ');
    expect(term.out()).toContain('Sudo password for deploy: set (hidden)');
    const saved = /is in (\S+) \(mode 600\)/.exec(term.out())?.[1] ?? '';
    const plan = readFileSync(saved, 'utf8');
    expect(plan).toContain('#!/usr/bin/env bash');
    expect(plan).toContain('<secret:SUDO_PASSWORD>');
    expect(plan).not.toContain(S);
    expect(s.output()).toContain('*****');
    expect(term.out() + s.output()).not.toContain(S);
  });

  it('Ctrl-C at a prompt cancels: nothing was changed, 130', async () => {
    const s = scripted(() => ['\x03']);
    const term = io();
    expect(await runPlain(parseCli(['--dry-run', '--plain']), term, s.prompts, dryDeps())).toBe(130);
    expect(term.out()).toContain('Cancelled. Nothing was changed.');
  });
});
