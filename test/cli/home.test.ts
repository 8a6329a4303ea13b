// cli/home.ts: the loop around the wizard's home. A menu action runs the CLI command of that name
// (through main's own entry) on the server the wizard reached, then the menu comes back.
import { describe, expect, it } from 'vitest';
import type { CliArgs } from '../../src/cli/args.js';
import { homeCommand } from '../../src/cli/home.js';
import type { Io } from '../../src/core/io.js';
import { initHome, type HomeAction, type HomeInfo } from '../../src/ui/home/home-state.js';
import type { Prompts } from '../../src/ui/plain/prompts.js';
import { wizardReducer } from '../../src/ui/wizard/home-reducer.js';
import type { WizardState } from '../../src/ui/wizard/reducer.js';
import { base } from '../day2-fixtures.js';
import { answerUntil, ctxWith, fresh } from '../ui/helpers.js';
import { facts } from '../ui/reducer-kit.js';

const info: HomeInfo = {
  journalAnswers: JSON.parse(JSON.stringify(base)) as Record<string, unknown>,
  envKeys: ['OPENCLAW_GATEWAY_TOKEN', 'ANTHROPIC_API_KEY', 'TELEGRAM_BOT_TOKEN', 'TZ'],
  lines: ['gateway   up'],
  version: base.openclaw.version,
  channels: ['telegram'],
};

/** The wizard as it ends after `action` was picked on the home menu of 203.0.113.10. */
function handedOff(action: HomeAction): WizardState {
  const s = answerUntil(fresh({ online: true, dryRun: false, home: initHome(), ctx: ctxWith({ available: () => true }) }), null);
  return [{ type: 'effect-done', facts, home: info } as const, { type: 'menu', action } as const].reduce(wizardReducer, s);
}

function harness(rounds: WizardState[], answers: string[]) {
  const mounts: { args: CliArgs; first: boolean }[] = [];
  const ran: string[][] = [];
  let out = '';
  const asked: string[] = [];
  const next = (message: string) => {
    asked.push(message);
    return Promise.resolve(answers.shift() ?? '');
  };
  const prompts = {
    input: (o: { message: string }) => next(o.message),
    select: (o: { message: string; choices: { value: string }[] }) => (asked.push(o.choices.map((c) => c.value).join(',')), next(o.message)),
  } as unknown as Prompts;
  const io = { stdout: (s: string) => (out += s), stderr: () => undefined, isTTY: true, env: {} } as unknown as Io;
  const args = { command: 'setup', sshOptions: ['ConnectTimeout=9'], knownHosts: '/tmp/kh', set: [] } as unknown as CliArgs;
  const run = homeCommand(
    args,
    io,
    (argv) => (ran.push(argv), Promise.resolve(0)),
    prompts,
    (a, _io, first) => (mounts.push({ args: a, first }), Promise.resolve({ code: rounds[0].phase === 'handoff' ? 0 : 130, state: rounds.shift()! })),
  );
  return { run, mounts, ran, out: () => out, asked };
}

describe('claw-setup home loop', () => {
  it('add-channel: the CLI command on the reached server, then the menu again, connecting at once', async () => {
    const h = harness([handedOff('add-channel'), fresh({ home: initHome() })], ['']);
    await h.run;
    const target = ['--host', '203.0.113.10', '--port', '22', '--user', 'root'];
    expect(h.ran[0].slice(0, 1 + target.length)).toEqual(['add-channel', ...target]);
    expect(h.ran[0]).toEqual(expect.arrayContaining(['--known-hosts', '/tmp/kh', '--ssh-option', 'ConnectTimeout=9']));
    expect(h.out()).toContain('claw-setup add-channel: exit 0; the menu follows');
    expect(h.mounts.map((m) => m.first)).toEqual([true, false]);
    expect(h.mounts[1].args).toMatchObject({ host: '203.0.113.10', port: '22', user: 'root' });
  });

  it('rotate asks which secret, from the names in the server .env', async () => {
    const h = harness([handedOff('rotate'), fresh({ home: initHome() })], ['TELEGRAM_BOT_TOKEN', '']);
    await h.run;
    expect(h.asked[0]).toBe('gateway-token,ANTHROPIC_API_KEY,TELEGRAM_BOT_TOKEN,--all');
    expect(h.ran[0].slice(0, 2)).toEqual(['rotate', 'TELEGRAM_BOT_TOKEN']);
  });

  it('pair names the channel the deployment runs (one: no question); first-reply needs nothing', async () => {
    const h = harness([handedOff('pair'), handedOff('first-reply'), handedOff('quit')], []);
    expect(await h.run).toBe(0);
    expect(h.ran.map((a) => a.slice(0, 2))).toEqual([
      ['pair', 'telegram'],
      ['first-reply', '--host'],
    ]);
    expect(h.asked).toEqual([]);
  });

  it('pair with no channel deployed says so and shows the menu again, running nothing', async () => {
    const none = { ...info, channels: [] };
    const s = answerUntil(fresh({ online: true, dryRun: false, home: initHome(), ctx: ctxWith({ available: () => true }) }), null);
    const round = [{ type: 'effect-done', facts, home: none } as const, { type: 'menu', action: 'pair' } as const].reduce(wizardReducer, s);
    const h = harness([round, handedOff('quit')], []);
    expect(await h.run).toBe(0);
    expect(h.ran).toEqual([]);
    expect(h.out()).toMatch(/claw-setup pair: no channel to pair: the deployment runs none.*the menu follows/);
  });

  it('upgrade passes the version typed; Quit ends with 0 and runs nothing', async () => {
    const h = harness([handedOff('upgrade'), handedOff('quit')], ['2026.10.1', '']);
    expect(await h.run).toBe(0);
    expect(h.ran).toEqual([expect.arrayContaining(['upgrade', '--to', '2026.10.1'])]);
  });
});
