import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import { RecordingExecutor } from '../../src/exec/recording.js';
import { App, type WizardOutcome } from '../../src/ui/app.js';
import { answerAll, KEY, press, tick, waitFor, type Script } from './drive.js';
import { dryDeps, keyDir, stateFor } from './helpers.js';

/** Unique enough to grep for; it is in every value typed at a secret prompt. */
const S = 'S3NT1NEL';
const { key } = keyDir();

function script(): Script {
  let another = 0;
  return [
    [/^Server address/, ['203.0.113.10', KEY.enter]],
    [/^Sudo password/, [`pw-${S}-sudo`, KEY.enter]],
    [/^Join a Tailscale/, [KEY.down, KEY.enter]],
    [/^Tailscale auth key/, [`tskey-auth-${S}ts-0123456789${S}`, KEY.enter]],
    [/^Model providers/, [KEY.down, KEY.space, KEY.enter]],
    [/API key$/, (f) => [`sk-${S}-${/› (\w+) API key/.exec(f)?.[1]}`, KEY.enter]],
    [/^Gateway token \(/, [KEY.down, KEY.enter]],
    [/^Gateway token$/, [`gw-${S}-0123456789abcdef0123456789`, KEY.enter]],
    [/^Add a messaging channel/, [KEY.down, KEY.enter]],
    [/^Add another channel/, () => (++another <= 2 ? [KEY.down, KEY.down, KEY.enter] : [KEY.enter])],
    [/^Telegram bot token/, [`123456:${S}_telegram_abcdefghijkl`, KEY.enter]],
    [/^Discord bot token/, [`discord-${S}-token`, KEY.enter]],
    [/^Slack bot token/, [`xoxb-${S}-bot`, KEY.enter]],
    [/^Slack app token/, [`xapp-${S}-app`, KEY.enter]],
    [/^Allowed senders/, (f) => [/numeric user IDs/.test(f) ? '123456789' : /Developer Mode/.test(f) ? '123456789012345678' : 'U0123ABCDEF', KEY.enter]],
    [/^Also send alerts to a Discord webhook/, [KEY.down, KEY.enter]],
    [/^Discord webhook URL/, [`https://discord.com/api/webhooks/123456789012345678/${S}webhook-0123456789`, KEY.enter]],
  ];
}

describe('secrets typed at prompts never leak', () => {
  it('a sentinel typed into every secret field is in no frame, saved file, plan or recorded call', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'claw-sentinel-'));
    const recorders: RecordingExecutor[] = [];
    const deps = dryDeps({
      dryExecutor: () => {
        const rec = new RecordingExecutor();
        recorders.push(rec);
        return { exec: rec, count: () => rec.calls.length };
      },
    });
    const out: { o: WizardOutcome | null } = { o: null };
    const r = render(<App init={stateFor(['--dry-run'], {}, key)} deps={deps} onExit={(o) => (out.o = o)} />);
    await waitFor(r, /Welcome/);
    await press(r, KEY.enter);
    const seen = await answerAll(r, script());
    for (const label of [
      'Sudo password for deploy',
      'Tailscale auth key',
      'anthropic API key',
      'openai API key',
      'Gateway token',
      'Telegram bot token (from @BotFather)',
      'Discord bot token',
      'Slack bot token (xoxb-…)',
      'Slack app token (xapp-…)',
      'Discord webhook URL',
    ])
      expect(seen).toContain(label);

    const f = await waitFor(r, /apply \(dry run/);
    expect(f).toMatch(/set \(hidden\)/);
    for (const [n, what, file] of [
      [2, 'answers', 'a.json5'],
      [3, 'plan', 'p.sh'],
    ] as const) {
      await press(r, ...Array(n).fill(KEY.down), KEY.enter);
      await waitFor(r, /Save the/);
      await press(r, ...Array(22).fill('\x7f'), join(dir, file), KEY.enter);
      await waitFor(r, new RegExp(`saved the ${what}`));
    }
    await press(r, KEY.enter);
    await waitFor(r, /Dry run finished/, 15000);
    for (const end = Date.now() + 15_000; !out.o && Date.now() < end;) await tick(10); // up to 15 s: a loaded machine
    expect(out.o, 'the wizard exited').not.toBeNull();

    const b = out.o!.built!;
    // Not vacuous: the plan really holds the typed values, as Secrets.
    expect(b.ctx.secrets.sudoPassword.reveal()).toBe(`pw-${S}-sudo`);
    expect(b.ctx.secrets.channels.SLACK_APP_TOKEN.reveal()).toBe(`xapp-${S}-app`);
    const everything = [
      ...r.frames,
      ...r.stderr.frames,
      readFileSync(join(dir, 'a.json5'), 'utf8'),
      readFileSync(join(dir, 'p.sh'), 'utf8'),
      b.text,
      JSON.stringify(recorders.flatMap((x) => x.calls)),
      JSON.stringify(out.o!.state.answers),
    ].join('\n');
    expect(everything).toContain('<secret:SUDO_PASSWORD>');
    expect(everything).not.toContain(S);
    expect(readFileSync(join(dir, 'a.json5'), 'utf8')).toMatch(/export SLACK_APP_TOKEN=/);
  });
});
