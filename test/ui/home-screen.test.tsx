// The home screen drawn by the real App (ink-testing-library): after the connection, one command
// reads the deployment and its status; the summary and the menu show; a menu pick ends the wizard.
import { render } from 'ink-testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import { App, type WizardOutcome } from '../../src/ui/app.js';
import { RecordingExecutor } from '../../src/exec/recording.js';
import { initHome } from '../../src/ui/home/home-state.js';
import { providedPaths } from '../../src/ui/init.js';
import { base } from '../day2-fixtures.js';
import { KEY, press, waitFor, type Rendered } from './drive.js';
import { ctxWith, dryDeps, fresh } from './helpers.js';
import { facts } from './reducer-kit.js';

const b64 = (s: string) => Buffer.from(s).toString('base64');
const STATUS = `
@@claw:gateway@@
running|healthy|2026-11-30T08:22:48.084683264Z|0|ghcr.io/openclaw/openclaw:2026.9.6
@@claw:healthz@@
ok
@@claw:config@@
${b64('{ "channels": { "telegram": {} } }')}
@@claw:host@@
1796027304
2026-11-30 05:48:31
29
@@claw:end@@
`;
const DEPLOYED = `journal ${b64(JSON.stringify({ tool: 'claw-setup', answers: base }))}\nconfig -\nenv ${b64('OPENCLAW_GATEWAY_TOKEN\nTELEGRAM_BOT_TOKEN\n')}\n`;

let mounted: Rendered | null = null;
afterEach(() => {
  mounted?.unmount();
  mounted = null;
});

function mount(journal: boolean) {
  const exec = new RecordingExecutor((c) =>
    c.op === 'run' && c.argv.join(' ').includes('@@claw-home-split@@')
      ? { stdout: `${journal ? DEPLOYED : 'journal -\nconfig -\nenv -\n'}\n@@claw-home-split@@\n${STATUS}` }
      : undefined,
  );
  const deps = dryDeps({ connect: async () => ({ exec, facts, readGatewayToken: async () => null, close: async () => {} }) });
  const target = { host: '203.0.113.10', port: 22, user: 'root', identityFile: '~/.ssh/id_ed25519' };
  const init = fresh({
    online: true,
    dryRun: false,
    home: initHome(),
    base: { target },
    ctx: ctxWith({ provided: providedPaths({ target }), available: () => true }),
  });
  const out: { outcome: WizardOutcome | null } = { outcome: null };
  const r = render(<App init={init} deps={deps} onExit={(o) => (out.outcome = o)} />);
  mounted = r;
  return { r, out, exec };
}

describe('home screen', () => {
  it('shows the status lines and the menu after one read; a pick hands the action back', async () => {
    const { r, out, exec } = mount(true);
    await waitFor(r, /Welcome/);
    await press(r, KEY.enter);
    const f = await waitFor(r, /What do you want to do\?/);
    expect(f).toMatch(/claw-setup deployment on 203\.0\.113\.10 · OpenClaw /);
    expect(f).toMatch(/gateway +up .*\/healthz ok/);
    expect(f).toMatch(/channels +telegram/);
    expect(f).toMatch(/Re-apply the setup as it is \(Keep\)/);
    expect(exec.calls).toHaveLength(1);
    await press(r, KEY.down, KEY.enter);
    for (let i = 0; i < 100 && !out.outcome; i++) await new Promise((res) => setTimeout(res, 10));
    expect(out.outcome?.state.phase).toBe('handoff');
    expect(out.outcome?.state.home?.chosen).toBe('remove-channel');
    // The last frame says what follows, not a failure.
    expect(r.lastFrame()).toMatch(/Remove a channel: the questions follow below/);
    expect(r.lastFrame()).not.toMatch(/Failed/);
  });

  it('no journal on the server: no menu, the questions of a first setup go on', async () => {
    const { r } = mount(false);
    await waitFor(r, /Welcome/);
    await press(r, KEY.enter);
    const f = await waitFor(r, /^› /m);
    expect(f).not.toMatch(/What do you want to do/);
  });
});
