// Text and secret fields in the running wizard (issue 13 item 2): several keys in one read are all
// applied, the readline keys work, keys typed before the next field mounts are kept, and a pasted
// secret ending in a newline submits. Each write below is ONE read for Ink, as a loaded machine or
// `tmux send-keys BSpace BSpace BSpace` delivers it.
import { render } from 'ink-testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import { App, type WizardOutcome } from '../../src/ui/app.js';
import { FieldInput } from '../../src/ui/views/field-input.js';
import type { RawInput } from '../../src/ui/wizard/parse-field.js';
import type { Field } from '../../src/ui/wizard/types.js';
import { currentLabel, KEY, press, tick, waitFor, type Rendered } from './drive.js';
import { dryDeps, keyDir, stateFor } from './helpers.js';

const { key } = keyDir();
let mounted: Rendered | null = null;
afterEach(() => {
  mounted?.unmount();
  mounted = null;
});

function mount(argv: string[] = ['--dry-run'], env: NodeJS.ProcessEnv = {}) {
  const out: { outcome: WizardOutcome | null } = { outcome: null };
  const r = render(<App init={stateFor(argv, env, key)} deps={dryDeps()} onExit={(o) => (out.outcome = o)} />);
  mounted = r;
  return { r, out };
}

/** The input under the question in focus: the line after the label, or after its hint (pass `hint`). */
const inputLine = (frame: string, hint = true): string => {
  const lines = frame.split('\n');
  const at = lines.findIndex((l) => l.startsWith('› '));
  return (lines[at + (hint ? 2 : 1)] ?? '').trim();
};

async function start(r: Rendered): Promise<void> {
  await waitFor(r, /Welcome/);
  await press(r, KEY.enter);
  await waitFor(r, /› Server address/);
}

/** Accepts every question with Enter until `label` is in focus. */
async function until(r: Rendered, label: RegExp): Promise<string> {
  for (let i = 0; i < 100; i++) {
    const f = await waitFor(r, /^› /m);
    if (label.test(currentLabel(f) ?? '')) return f;
    await press(r, KEY.enter);
    for (let j = 0; j < 200 && r.lastFrame() === f; j++) await tick(10);
  }
  throw new Error(`never reached ${label}`);
}

const CTRL = (c: string) => String.fromCharCode(c.toUpperCase().charCodeAt(0) - 64);

describe('text fields in the wizard', () => {
  it('three Backspaces in one read delete three characters, and no control byte is left behind', async () => {
    const { r } = mount();
    await start(r);
    await press(r, 'example.org');
    await press(r, '\x7f\x7f\x7f');
    const f = await waitFor(r, /example\.(?!org)/);
    expect(inputLine(f)).toBe('example.');
    expect(f).not.toContain('printable ASCII');
    expect(f).not.toContain('✗');
    await press(r, 'net', KEY.enter);
    expect(await waitFor(r, /› SSH port/)).toMatch(/✓ Server address: example\.net/);
  });

  it('Ctrl-U, Ctrl-W and Ctrl-A edit instead of typing u, w, a', async () => {
    const { r } = mount();
    await start(r);
    await press(r, 'bad host', CTRL('w'));
    expect(inputLine(r.lastFrame()!)).toBe('bad');
    await press(r, CTRL('u'), '0.113.10', CTRL('a'), '203.', `${CTRL('e')}${CTRL('w')}${CTRL('u')}203.0.113.10`);
    expect(inputLine(r.lastFrame()!)).toBe('203.0.113.10');
    await press(r, KEY.enter);
    expect(await waitFor(r, /› SSH port/)).toMatch(/✓ Server address: 203\.0\.113\.10/);
  });

  it('keys typed in the same read as Enter, or before the next field mounts, go to the next field', async () => {
    const { r } = mount();
    await start(r);
    // One read: the address, Enter, then the port with a typo fixed, Enter.
    r.stdin.write('203.0.113.10\r\x7f\x7f2x\x7f222\r');
    const f = await waitFor(r, /› Admin login/);
    expect(f).toMatch(/✓ SSH port to connect to: 2222/);
    await press(r, KEY.esc);
    await waitFor(r, /› SSH port/);
    // Two reads with no pause between them: the second arrives before React has drawn the next field.
    r.stdin.write('\x15');
    r.stdin.write('2200\r');
    r.stdin.write('admin');
    expect(await waitFor(r, /› Admin login/)).toMatch(/✓ SSH port to connect to: 2200/);
    await tick(50);
    expect(inputLine(r.lastFrame()!)).toBe('rootadmin');
  });

  it('backup time: Backspaces and new digits in one read replace the value (never "03:0025:00")', async () => {
    const { r } = mount(['--dry-run', '--host', '203.0.113.10'], { CLAW_SUDO_PASSWORD: 'a-long-sudo-password', ANTHROPIC_API_KEY: 'sk-1' });
    await waitFor(r, /Welcome/);
    await press(r, KEY.enter);
    let f = await until(r, /^Time of day/);
    expect(inputLine(f, false)).toBe('03:00');
    r.stdin.write('\x7f\x7f\x7f\x7f\x7f04:30');
    f = await waitFor(r, /04:30/);
    expect(inputLine(f, false)).toBe('04:30');
    expect(f).not.toContain('✗');
  });
});

describe('secret fields', () => {
  it('a pasted secret ending in a newline submits, twice for a typed-twice secret; only a mask is shown', async () => {
    const { r } = mount(['--dry-run', '--host', '203.0.113.10']);
    await waitFor(r, /Welcome/);
    await press(r, KEY.enter);
    await until(r, /^Sudo password/);
    const secret = 'Pasted-S3NT1NEL-sudo';
    r.stdin.write(`${secret}\n`);
    let f = await waitFor(r, /type it again to confirm/);
    r.stdin.write(`${secret}\r\n`);
    // Accepted, and the CRLF was one Enter: the question right after it is in focus, not skipped.
    f = await waitFor(r, /› Your IP address/);
    expect(f).not.toContain('✗');
    await press(r, KEY.esc);
    expect(await waitFor(r, /› Sudo password/)).toMatch(/set \(hidden\): Enter keeps it/);
    for (const frame of r.frames) expect(frame).not.toContain('S3NT1NEL');
  });

  it('readline keys edit a secret too, and it is drawn as one * per character', async () => {
    const field: Field = {
      id: 'x.token',
      screen: 'openclaw',
      label: 'Token',
      kind: 'secret',
      path: ['x'],
      initial: null,
      secret: { name: 'X_TOKEN', kind: 'token', ref: { env: 'X_TOKEN' }, confirm: false },
    } as unknown as Field;
    const got: RawInput[] = [];
    const r = render(<FieldInput field={field} hasValue={false} onEdit={() => {}} onAnswer={(v) => got.push(v)} onError={() => {}} />);
    mounted = r;
    await tick(50);
    r.stdin.write(`wrong words${CTRL('w')}${CTRL('u')}tok\x1b[Den\x1b[F`);
    await tick(30);
    expect(r.lastFrame()).toContain('*****');
    expect(r.lastFrame()).not.toContain('******');
    expect(r.lastFrame()).not.toMatch(/tok|en/);
    r.stdin.write('\r');
    await tick(30);
    expect(got).toEqual(['toenk']);
  });
});
