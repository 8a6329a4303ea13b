import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import { RecordingExecutor } from '../../src/exec/recording.js';
import { assumedFacts } from '../../src/plan/facts.js';
import { App } from '../../src/ui/app.js';
import type { ConnectOptions } from '../../src/rollout/connect.js';
import { answerAll, KEY, press, tick, waitFor, type Rendered } from './drive.js';
import { dryDeps, keyDir } from './helpers.js';
import { initialState } from '../../src/ui/init.js';
import { parseCli } from '../../src/cli/args.js';

const { key } = keyDir();

/** Welcome, then the four target questions, waiting for each to be on screen. */
async function target(r: Rendered): Promise<void> {
  await waitFor(r, /Welcome/);
  await press(r, KEY.enter);
  await waitFor(r, /› Server address/);
  await press(r, '203.0.113.10', KEY.enter);
  for (const q of [/› SSH port/, /› Admin login/, /› Private key/]) {
    await waitFor(r, q);
    await press(r, KEY.enter);
  }
}

describe('with a connection (not a dry run)', () => {
  it('asks about the host key, pre-fills from the probe, and applies over a fresh connection with the sudo password', async () => {
    const requests: ConnectOptions[] = [];
    const exec = new RecordingExecutor();
    const facts = { ...assumedFacts('debian-12', 'root', '198.51.100.7'), source: 'probed' as const };
    const deps = dryDeps({
      connect: async (r) => {
        requests.push(r);
        if (requests.length === 1 && !(await r.confirmHostKey('ED25519 SHA256:abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG')))
          throw new Error('host key refused');
        return { exec, facts, readGatewayToken: async () => null, close: async () => {} };
      },
    });
    const init = initialState({ args: parseCli([]), env: {}, online: true, keys: [{ path: key, label: key }], newKeyPath: `${key}-new` });
    let phase = '';
    const r = render(<App init={init} deps={deps} onExit={(o) => (phase = o.state.phase)} />);
    await target(r);
    let f = await waitFor(r, /Trust it and remember it\?/);
    expect(f).toContain('SHA256:abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG');
    await press(r, 'y');
    await answerAll(r, [
      [/^Sudo password/, ['a-long-sudo-password', KEY.enter]],
      [/API key/, ['sk-1', KEY.enter]],
      [/^Your IP address/, (fr) => (expect(fr).toContain('198.51.100.7'), [KEY.enter])],
    ]);
    f = await waitFor(r, /apply this plan to 203\.0\.113\.10/);
    expect(f).toMatch(/Review: nothing has changed yet/);
    await press(r, KEY.enter);
    f = await waitFor(r, /Done in/, 15000);
    expect(f).toContain('ssh -N -L 18789:127.0.0.1:18789 -p 22 deploy@203.0.113.10');
    expect(requests.length).toBe(2);
    expect(requests[0].sudoPassword).toBeUndefined();
    expect(requests[1].sudoPassword?.placeholder).toBe('<secret:SUDO_PASSWORD>');
    // Both made by the one connectOptions: the wizard always asks about a new host key; the flags come from the command line.
    expect(requests[1]).toMatchObject({ host: '203.0.113.10', user: 'root', port: 22, fallbackUser: 'deploy', fallbackPort: 22, yes: false, sshOptions: [] });
    expect(requests[0]).toMatchObject({ host: '203.0.113.10', fallbackUser: 'deploy', yes: false, secrets: [] });
    // The apply's connection scrubs every answer secret it can read (the typed ones).
    expect(requests[1].secrets).toEqual(expect.arrayContaining([requests[1].sudoPassword]));
    expect(exec.calls.some((c) => c.op === 'fresh-login')).toBe(true);
    // The probe's operator IP went into the break-glass rule.
    expect(JSON.stringify(exec.calls)).toContain('198.51.100.7');
    for (let i = 0; i < 100 && !phase; i++) await tick(10);
    expect(phase).toBe('done');
    r.unmount();
  });

  it('a refused connection shows the reason under the address', async () => {
    const deps = dryDeps({ connect: async () => Promise.reject(new Error('ssh: connect to host 203.0.113.10 port 22: Connection refused')) });
    const init = initialState({ args: parseCli([]), env: {}, online: true, keys: [{ path: key, label: key }], newKeyPath: `${key}-new` });
    const r = render(<App init={init} deps={deps} onExit={() => {}} />);
    await target(r);
    const f = await waitFor(r, /Connection refused/);
    expect(f).toMatch(/› Server address[\s\S]*✗ ssh: connect to host 203\.0\.113\.10 port 22: Connection refused/);
    r.unmount();
  });
});
