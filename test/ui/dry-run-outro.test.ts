// Issue 21 items 5 and 6: a dry run needs no real secret (an empty masked field stands as
// <secret:NAME>), and it ends on what to do next, with the plan in a 0600 file, not on the plan.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseCli } from '../../src/cli/args.js';
import type { Io } from '../../src/core/io.js';
import { dryRunOutro } from '../../src/ui/plan-file.js';
import { runPlain } from '../../src/ui/run-plain.js';
import { Session } from '../../src/ui/wizard-session.js';
import { currentField, reducer } from '../../src/ui/wizard/reducer.js';
import { ctxWith, dryDeps, fresh, keyDir, scripted } from './helpers.js';

const { key } = keyDir();
const here = process.cwd();
afterEach(() => process.chdir(here));

/** Answers every question with its default (Anthropic as the model provider) and leaves every secret empty. */
function walkWithoutSecrets(dryRun: boolean) {
  let s = reducer(fresh({ dryRun, ctx: ctxWith({ dryRun, keys: [{ path: key, label: key }] }) }), { type: 'start' });
  for (let i = 0; i < 200 && s.phase === 'asking'; i++) {
    const f = currentField(s)!;
    const v = f.initial;
    const raw =
      f.kind === 'secret'
        ? ''
        : f.id === 'target.host'
          ? '203.0.113.10'
          : f.id === 'openclaw.providers'
            ? ['anthropic']
            : Array.isArray(v) && f.kind !== 'multi'
              ? v.join(', ')
              : v === null
                ? ''
                : typeof v === 'number'
                  ? String(v)
                  : v;
    const next = reducer(s, { type: 'answer', raw });
    if (next.error) return { s: next, refused: f.secret?.name ?? f.id };
    s = next;
  }
  return { s, refused: null };
}

describe('a dry run without secrets', () => {
  it('a real run still refuses an empty masked field', () => {
    const { s, refused } = walkWithoutSecrets(false);
    expect(refused).toBe('SUDO_PASSWORD'); // the first secret asked
    expect(s.error).toMatch(/nothing typed/);
  });

  it('walks to the review with every secret left empty; the plan names each as <secret:NAME> and is valid bash', async () => {
    const { s, refused } = walkWithoutSecrets(true);
    expect(refused).toBeNull();
    expect(s.phase).toBe('review');
    const b = await new Session(dryDeps()).plan(s);
    expect(b.text).toContain('<secret:SUDO_PASSWORD>');
    expect(b.text).toContain('<secret:ANTHROPIC_API_KEY>');
    const file = join(mkdtempSync(join(tmpdir(), 'claw-dry-')), 'plan.sh');
    writeFileSync(file, b.text);
    execFileSync('bash', ['-n', file]);
  });
});

function io(): Io & { out: () => string } {
  let out = '';
  return { stdout: (x) => (out += x), stderr: (x) => (out += x), env: {}, isTTY: true, out: () => out };
}

describe('the dry run ends on what to do next', () => {
  it('--plain --dry-run with no secret typed: the plan goes to a new 0600 file, the terminal ends on the next step', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'claw-plain-'));
    process.chdir(dir);
    const masked: string[] = [];
    const s = scripted((kind, m) => {
      if (/^Server address/.test(m)) return ['203.0.113.10', '\r'];
      if (kind === 'password') masked.push(m);
      return ['\r'];
    });
    const term = io();
    expect(await runPlain(parseCli(['--dry-run', '--plain', '--identity', key]), term, s.prompts, dryDeps())).toBe(0);
    expect(masked[0]).toMatch(/^Sudo password.*\(dry run: Enter leaves it empty\)$/);
    expect(term.out()).toMatch(/left empty \(dry run: <secret:SUDO_PASSWORD> in the plan\)/);
    expect(term.out()).not.toContain('#!/usr/bin/env bash');
    const lines = term.out().trimEnd().split('\n');
    expect(lines.at(-1)).toBe('Next: to apply for real, run claw-setup again without --dry-run.');
    const [name] = readdirSync(dir);
    expect(name).toMatch(/^claw-setup-plan-\d{8}-\d{6}\.sh$/);
    expect(lines.at(-2)).toContain(`is in ./${name} (mode 600)`);
    expect(statSync(join(dir, name)).mode & 0o777).toBe(0o600);
    const plan = readFileSync(join(dir, name), 'utf8');
    expect(plan.startsWith('#!/usr/bin/env bash')).toBe(true);
    expect(plan).toContain('<secret:SUDO_PASSWORD>');
  });

  it('never overwrites; a refused folder falls back to $TMPDIR; with nowhere to write, the plan is printed before the next step', () => {
    const cwd = mkdtempSync(join(tmpdir(), 'claw-cwd-'));
    const tmp = mkdtempSync(join(tmpdir(), 'claw-tmp-'));
    const now = new Date('2026-12-07T21:00:00Z');
    const quiet = { stdout: () => {}, stderr: () => {} };
    expect(dryRunOutro('a\n', quiet, { cwd, tmp, now })).toBe(join(cwd, 'claw-setup-plan-20261207-210000.sh'));
    expect(dryRunOutro('b\n', quiet, { cwd, tmp, now })).toBe(join(cwd, 'claw-setup-plan-20261207-210000-2.sh'));
    expect(readFileSync(join(cwd, 'claw-setup-plan-20261207-210000.sh'), 'utf8')).toBe('a\n');
    // As root a folder's mode does not stop a write: the refusal is injected.
    const refuseCwd = (p: string, text: string) => {
      if (p.startsWith(cwd)) throw new Error(`no permission to write ${p}`);
      writeFileSync(p, text, { flag: 'wx', mode: 0o600 });
    };
    expect(dryRunOutro('c\n', quiet, { cwd, tmp, now, write: refuseCwd })).toBe(join(tmp, 'claw-setup-plan-20261207-210000.sh'));
    const nowhere = (p: string) => {
      throw new Error(`the folder for ${p} does not exist`);
    };
    const t = io();
    expect(dryRunOutro('#!/usr/bin/env bash\necho hi\n', t, { cwd, tmp, now, write: nowhere })).toBe('');
    expect(t.out()).toMatch(
      /^#!\/usr\/bin\/env bash\necho hi\nDry run: nothing was changed\. The plan is printed above \(the folder for .* does not exist\)\.\nNext: [^\n]+\n$/,
    );
  });
});
