import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { render } from 'ink-testing-library';
import JSON5 from 'json5';
import { afterEach, describe, expect, it } from 'vitest';
import { answersSchema } from '../../src/answers/schema.js';
import { App, type WizardOutcome } from '../../src/ui/app.js';
import type { WizardDeps } from '../../src/ui/deps.js';
import { answerAll, KEY, press, waitFor, type Rendered } from './drive.js';
import { dryDeps, keyDir, stateFor } from './helpers.js';

const { key } = keyDir();
let mounted: Rendered | null = null;
afterEach(() => {
  mounted?.unmount();
  mounted = null;
});

function mount(argv: string[], deps: WizardDeps = dryDeps(), env: NodeJS.ProcessEnv = {}) {
  const out: { outcome: WizardOutcome | null } = { outcome: null };
  const r = render(<App init={stateFor(argv, env, key)} deps={deps} onExit={(o) => (out.outcome = o)} />);
  mounted = r;
  return { r, out };
}

describe('wizard screens (ink-testing-library)', () => {
  it('welcome says nothing changes until the review; Enter starts', async () => {
    const { r } = mount(['--dry-run']);
    const f = await waitFor(r, /Welcome/);
    expect(f).toContain('Nothing changes until you confirm on the review screen.');
    await press(r, KEY.enter);
    expect(await waitFor(r, /Server address/)).toMatch(/› Server address/);
  });

  it('validates as typed: the error is right under the field, then clears', async () => {
    const { r } = mount(['--dry-run']);
    await waitFor(r, /Welcome/);
    await press(r, KEY.enter);
    await waitFor(r, /› Server address/);
    await press(r, 'bad host!');
    const f = await waitFor(r, /✗/);
    const lines = f.split('\n');
    const at = lines.findIndex((l) => l.startsWith('› Server address'));
    expect(lines.slice(at, at + 5).join('\n')).toMatch(/✗ host must be an IP address or a host name/);
    await press(r, ...Array(9).fill('\x7f'), '203.0.113.10');
    expect(r.lastFrame()).not.toContain('✗');
  });

  it('Esc goes back; Ctrl-C before applying says nothing was changed (130)', async () => {
    const { r, out } = mount(['--dry-run']);
    await waitFor(r, /Welcome/);
    await press(r, KEY.enter);
    await waitFor(r, /› Server address/);
    await press(r, '203.0.113.10', KEY.enter);
    await waitFor(r, /› SSH port to connect to/);
    await press(r, KEY.esc);
    await waitFor(r, /› Server address/);
    await press(r, KEY.ctrlC);
    expect(await waitFor(r, /Cancelled/)).toContain('Cancelled. Nothing was changed.');
    await waitFor(r, /./);
    for (let i = 0; i < 50 && !out.outcome; i++) await new Promise((z) => setTimeout(z, 10));
    expect(out.outcome?.state.phase).toBe('cancelled');
  });

  it('walks every screen to review, plan view, save, dry-run apply and done', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'claw-app-'));
    const { r, out } = mount(['--dry-run']);
    await waitFor(r, /Welcome/);
    await press(r, KEY.enter);
    const seen = await answerAll(r, [
      [/^Server address/, ['203.0.113.10', KEY.enter]],
      [/^Sudo password/, ['hunter2hunter2', KEY.enter]],
      [/API key/, ['sk-test-key-1', KEY.enter]],
    ]);
    expect(seen).toContain('Deploy user name');
    let f = await waitFor(r, /apply \(dry run/);
    expect(f).toMatch(/Deploy user "deploy": creates deploy/);
    expect(f).toMatch(/SUDO_PASSWORD set \(hidden\)/);
    await press(r, KEY.down, KEY.enter);
    f = await waitFor(r, /claw-setup · Plan/);
    expect(f).toContain('#!/usr/bin/env bash');
    await press(r, KEY.pageDown, KEY.esc);
    await waitFor(r, /apply \(dry run/);
    await press(r, KEY.down, KEY.down, KEY.enter);
    await waitFor(r, /Save the answers/);
    const answersPath = join(dir, 'answers.json5');
    await press(r, ...Array(22).fill('\x7f'), answersPath, KEY.enter);
    f = await waitFor(r, /saved the answers/);
    const saved = readFileSync(answersPath, 'utf8');
    expect(answersSchema.parse(JSON5.parse(saved)).deployUser.sudoPassword).toEqual({ env: 'CLAW_SUDO_PASSWORD' });
    expect(saved).toContain('export CLAW_SUDO_PASSWORD=');
    await press(r, KEY.enter);
    await waitFor(r, /Dry run finished/, 10000);
    f = r.lastFrame()!;
    expect(f).toContain('ssh -N -L 18789:127.0.0.1:18789 -p 22 deploy@203.0.113.10');
    expect(f).toMatch(/gateway token: stored in \/home\/deploy\/openclaw\/\.env/);
    for (let i = 0; i < 100 && !out.outcome; i++) await new Promise((z) => setTimeout(z, 10));
    expect(out.outcome?.state.phase).toBe('done');
    expect(out.outcome?.built?.text).toContain('#!/usr/bin/env bash');
  });
});
