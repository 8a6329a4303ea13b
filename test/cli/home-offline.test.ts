// The offline home (`claw-setup --dry-run --answers FILE` in a terminal): the menu edits the answers,
// the plan diff shows what the change does, and the changed answers go to a new file.
import { copyFileSync, existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import JSON5 from 'json5';
import { describe, expect, it } from 'vitest';
import { parseCli } from '../../src/cli/args.js';
import { offlineHome } from '../../src/cli/home-offline.js';
import type { Io } from '../../src/core/io.js';
import type { Prompts } from '../../src/ui/plain/prompts.js';

const EXAMPLE = join(import.meta.dirname, '../../examples/answers.json5');

function harness(answers: string[]) {
  const dir = mkdtempSync(join(tmpdir(), 'claw-home-offline-'));
  const file = join(dir, 'answers.json5');
  copyFileSync(EXAMPLE, file);
  let out = '';
  const next = () => {
    const a = answers[0] === 'NEW' ? (answers.shift(), file.replace(/\.json5$/, '.new.json5')) : answers.shift();
    if (a === undefined) throw Object.assign(new Error('no more answers'), { name: 'ExitPromptError' });
    return Promise.resolve(a);
  };
  const prompts = {
    input: next,
    select: next,
    password: next,
    confirm: () => Promise.resolve(true),
    checkbox: () => Promise.resolve([]),
  } as unknown as Prompts;
  const io = { stdout: (s: string) => (out += s), stderr: () => undefined, isTTY: true, env: {} } as unknown as Io;
  const wizard: string[] = [];
  const run = offlineHome(parseCli(['--dry-run', '--answers', file]), io, (a) => (wizard.push(a.answers!), Promise.resolve(0)), prompts);
  return { run, file, dir, out: () => out, wizard };
}

describe('offline home', () => {
  it('remove the Telegram channel: the plan diff, saved to a new file, the original untouched, the menu goes on from the new one', async () => {
    const h = harness(['remove-channel', 'telegram', 'NEW', 'quit']);
    const before = readFileSync(h.file, 'utf8');
    expect(await h.run).toBe(0);
    const out = h.out();
    expect(out).toMatch(/channels {2}telegram/);
    expect(out).toMatch(/^--- plan \(answers file now\)$/m);
    expect(out).toMatch(/^-.*TELEGRAM_BOT_TOKEN/m);
    const saved = h.file.replace(/\.json5$/, '.new.json5');
    expect(out).toContain(`saved the changed answers to ${saved}`);
    expect(readFileSync(h.file, 'utf8')).toBe(before);
    expect(JSON5.parse(readFileSync(saved, 'utf8')).openclaw.channels).toEqual([]);
    expect(out).toMatch(/channels {2}none/);
  });

  it('add Discord through the guided questions; Enter at the file name saves nothing', async () => {
    const h = harness(['add-channel', 'discord', 'allowlist', '123456789012345678', '', 'quit']);
    expect(await h.run).toBe(0);
    expect(h.out()).toMatch(/Developer Portal/);
    expect(h.out()).toMatch(/^\+.*DISCORD_BOT_TOKEN/m);
    expect(existsSync(h.file.replace(/\.json5$/, '.new.json5'))).toBe(false);
  });

  it('the wizard entry hands over to the dry-run wizard on the same file', async () => {
    const h = harness(['wizard']);
    expect(await h.run).toBe(0);
    expect(h.wizard).toEqual([h.file]);
  });
});
