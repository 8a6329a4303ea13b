import QRCode from 'qrcode';
import { describe, expect, it } from 'vitest';
import { CancelledError, StepFailedError, UserError } from '../../src/core/errors.js';
import type { ExecResult } from '../../src/exec/types.js';
import type { Argv } from '../../src/plan/action.js';
import { pairCommand, pairOnServer, type PairRun } from '../../src/cli/pair.js';
import { parseCli } from '../../src/cli/args.js';
import { linkWhatsapp } from '../../src/cli/pair-whatsapp.js';
import type { Prompts } from '../../src/ui/plain/prompts.js';

const paths = { composeDir: '/home/deploy/openclaw', compose: '/home/deploy/openclaw/docker-compose.yml' as const };
const config = (dmPolicy?: string) => JSON.stringify({ channels: { telegram: { enabled: true, ...(dmPolicy ? { dmPolicy } : {}) } } });

/** OpenClaw's pairing CLI as the container answers it: a pending store, approve removes from it. */
function fakeOpenclaw(pending: { id: string; code: string }[], o: { approveFails?: boolean } = {}) {
  const ran: Argv[] = [];
  const exec = {
    run: async (argv: Argv): Promise<ExecResult> => {
      ran.push(argv);
      const [verb, ...rest] = argv.slice(argv.indexOf('pairing') + 1);
      if (verb === 'list')
        return {
          code: 0,
          stdout: JSON.stringify({
            channel: rest[0],
            requests: pending.map((p) => ({ ...p, createdAt: '2026-12-07T21:00:00.000Z', meta: { firstName: 'Bo' } })),
          }),
          stderr: '',
        };
      if (o.approveFails) return { code: 1, stdout: '', stderr: 'Error: \u001b[31mdatabase is locked\u001b[0m' };
      const i = pending.findIndex((p) => p.code === rest[1]);
      if (i < 0) return { code: 1, stdout: '', stderr: `No pending pairing request found for code "${rest[1]}".` };
      const [p] = pending.splice(i, 1);
      return {
        code: 0,
        stdout: `Approved telegram sender ${p.id}.\nCommand owner configured telegram:${p.id} (commands.ownerAllowFrom was empty).`,
        stderr: '',
      };
    },
  };
  return { exec, ran, approvals: () => ran.filter((a) => a.includes('approve')) };
}

const picking = (value: string): Prompts => ({ select: async () => value }) as unknown as Prompts;

function run(over: Partial<PairRun> & Pick<PairRun, 'exec'>) {
  const lines: string[] = [];
  const c: PairRun = {
    paths,
    out: (s) => lines.push(s),
    configText: config('pairing'),
    type: 'telegram',
    code: undefined,
    picker: null,
    dryRun: false,
    now: new Date('2026-12-07T21:10:00Z'),
    ...over,
  };
  return { go: () => pairOnServer(c), lines };
}

describe('pair telegram', () => {
  it('refuses a malformed code, an unknown channel and a code for whatsapp before connecting anywhere', async () => {
    const io = { stdout: () => {}, stderr: () => {}, env: {}, isTTY: false };
    // 203.0.113.0/24 is TEST-NET-3: a connection attempt would hang or fail, not throw these.
    const go = (...w: string[]) => pairCommand(parseCli(['pair', ...w, '--host', '203.0.113.7']), io);
    await expect(go('telegram', "AB'; id #")).rejects.toThrow(/is not a pairing code/);
    await expect(go('signal')).rejects.toThrow(/not a channel that pairs/);
    await expect(go('whatsapp', 'AAAAAAAA')).rejects.toThrow(/takes no code/);
    await expect(go()).rejects.toThrow(/pair which channel/);
  });

  it("approves the code given with one start of OpenClaw's CLI, and says which sender OpenClaw approved", async () => {
    const f = fakeOpenclaw([{ id: '424242', code: 'K7QW2MXA' }]);
    const r = run({ exec: f.exec, code: 'K7QW2MXA' });
    expect(await r.go()).toBe(0);
    expect(f.ran).toHaveLength(1);
    expect(f.approvals()[0].slice(-4)).toEqual(['pairing', 'approve', 'telegram', 'K7QW2MXA']);
    expect(r.lines.join('\n')).toMatch(/openclaw: Command owner configured[\s\S]*approved: telegram sender 424242 may now message the bot/);
  });

  it('an approve that exits 0 without naming the sender it approved is not taken as done', async () => {
    const exec = { run: async () => ({ code: 0, stdout: 'Done.', stderr: '' }) };
    await expect(run({ exec, code: 'K7QW2MXA' }).go()).rejects.toThrow(StepFailedError);
  });

  it('in a terminal without a code: a picker of the pending requests; "none" cancels with nothing approved', async () => {
    const f = fakeOpenclaw([
      { id: '1', code: 'AAAAAAAA' },
      { id: '2', code: 'BBBBBBBB' },
    ]);
    expect(await run({ exec: f.exec, picker: picking('BBBBBBBB') }).go()).toBe(0);
    expect(f.approvals()[0].at(-1)).toBe('BBBBBBBB');
    const g = fakeOpenclaw([{ id: '1', code: 'AAAAAAAA' }]);
    await expect(run({ exec: g.exec, picker: picking('') }).go()).rejects.toThrow(CancelledError);
    expect(g.approvals()).toHaveLength(0);
  });

  it('with --yes and no code: lists, then refuses and names the command to run', async () => {
    const f = fakeOpenclaw([{ id: '1', code: 'AAAAAAAA' }]);
    const r = run({ exec: f.exec });
    await expect(r.go()).rejects.toThrow(/no code given[\s\S]*/);
    await expect(run({ exec: f.exec }).go()).rejects.toMatchObject({ howToFix: 'name the one to approve: claw-setup pair telegram AAAAAAAA' });
    expect(f.approvals()).toHaveLength(0);
    expect(r.lines.join('\n')).toContain('AAAAAAAA  1 (Bo)');
  });

  it('a code that is not pending (OpenClaw refuses it) is a user error; a channel the server does not run is refused first', async () => {
    const pending = [{ id: '1', code: 'AAAAAAAA' }];
    const f = fakeOpenclaw(pending);
    await expect(run({ exec: f.exec, code: 'CCCCCCCC' }).go()).rejects.toThrow(UserError);
    await expect(run({ exec: f.exec, code: 'CCCCCCCC' }).go()).rejects.toThrow(/no pending telegram request has code CCCCCCCC/);
    expect(pending).toHaveLength(1);
    const g = fakeOpenclaw(pending);
    await expect(run({ exec: g.exec, configText: JSON.stringify({ channels: {} }) }).go()).rejects.toThrow(/runs no telegram channel/);
    expect(g.ran).toHaveLength(0);
  });

  it('dry run: lists and says what it would approve, runs no approve', async () => {
    const f = fakeOpenclaw([{ id: '1', code: 'AAAAAAAA' }]);
    const r = run({ exec: f.exec, code: 'AAAAAAAA', dryRun: true });
    expect(await r.go()).toBe(0);
    expect(f.approvals()).toHaveLength(0);
    expect(r.lines.at(-1)).toMatch(/dry run: would approve AAAAAAAA/);
  });

  it("a failing approve is a failed step quoting OpenClaw's words without its escapes; a non-pairing policy is said", async () => {
    const f = fakeOpenclaw([{ id: '1', code: 'AAAAAAAA' }], { approveFails: true });
    const r = run({ exec: f.exec, code: 'AAAAAAAA', configText: config('allowlist') });
    const e = await r.go().catch((x: unknown) => x);
    expect(e).toBeInstanceOf(StepFailedError);
    expect((e as StepFailedError).report).toEqual(['Error: database is locked']);
    expect(r.lines[0]).toMatch(/DMs are "allowlist", not "pairing"/);
  });

  it('no pending requests: says how a request comes to be; a code given then is an error', async () => {
    const r = run({ exec: fakeOpenclaw([]).exec });
    expect(await r.go()).toBe(0);
    expect(r.lines.join('\n')).toMatch(/no pending telegram pairing requests/);
    await expect(run({ exec: fakeOpenclaw([]).exec, code: 'AAAAAAAA' }).go()).rejects.toThrow(UserError);
  });
});

describe('pair whatsapp', () => {
  /** The gateway's login RPC: a QR, one rotation, then linked. */
  async function fakeGateway(steps: ('rotate' | 'linked' | 'same')[]) {
    const url = async (t: string) => `data:image/png;base64,${(await QRCode.toBuffer(t, { margin: 4, scale: 6 })).toString('base64')}`;
    const first = await url('2@first,noise,identity,adv');
    const second = await url('2@second,noise,identity,adv');
    const params: unknown[] = [];
    const exec = {
      run: async (argv: Argv): Promise<ExecResult> => {
        params.push(JSON.parse(argv.at(-1)!));
        if (argv.includes('web.login.start'))
          return { code: 0, stdout: JSON.stringify({ qrDataUrl: first, sessionKey: 'k1', message: 'Scan this QR' }), stderr: '' };
        const s = steps.shift();
        const body = s === 'rotate' ? { qrDataUrl: second, connected: false } : s === 'linked' ? { connected: true, message: 'Linked!' } : { connected: false };
        return { code: 0, stdout: JSON.stringify(body), stderr: '' };
      },
    };
    return { exec, params, first };
  }

  it('draws the QR, redraws a rotated one, and ends when OpenClaw says linked', async () => {
    const g = await fakeGateway(['same', 'rotate', 'linked']);
    const drawn: string[] = [];
    const lines: string[] = [];
    const code = await linkWhatsapp({
      exec: g.exec,
      paths,
      out: (s) => lines.push(s),
      draw: (s) => drawn.push(s),
      isTTY: false,
      signal: new AbortController().signal,
      force: false,
    });
    expect(code).toBe(0);
    expect(drawn.filter((d) => d.includes('█'))).toHaveLength(2);
    expect(lines.at(-1)).toMatch(/WhatsApp is linked \(openclaw: Linked!\)/);
    expect(g.params[1]).toMatchObject({ channel: 'whatsapp', sessionKey: 'k1', currentQrDataUrl: g.first });
  });

  it("the gateway's refusal (plugin missing: what a server without npm access gets) is a failed step quoting it", async () => {
    const stdout = JSON.stringify(
      { ok: false, error: { type: 'gateway_request_error', code: 'INVALID_REQUEST', message: 'web login provider is not available' } },
      null,
      2,
    );
    const exec = { run: async () => ({ code: 1, stdout, stderr: '' }) };
    const e = await linkWhatsapp({ exec, paths, out: () => {}, draw: () => {}, isTTY: false, signal: new AbortController().signal, force: false }).catch(
      (x: unknown) => x,
    );
    expect(e).toBeInstanceOf(StepFailedError);
    expect((e as StepFailedError).report).toEqual(['openclaw: web login provider is not available']);
  });

  it('WhatsApp unreachable (what OpenClaw answers on a server without internet): no QR, its reason quoted', async () => {
    const stdout = JSON.stringify({ message: 'WhatsApp login failed: WebSocket Error (getaddrinfo ENOTFOUND web.whatsapp.com)' });
    const exec = { run: async () => ({ code: 0, stdout, stderr: '' }) };
    const e = await linkWhatsapp({ exec, paths, out: () => {}, draw: () => {}, isTTY: false, signal: new AbortController().signal, force: false }).catch(
      (x: unknown) => x,
    );
    expect(e).toMatchObject({
      message: 'OpenClaw started no WhatsApp login (no QR)',
      report: ['openclaw: WhatsApp login failed: WebSocket Error (getaddrinfo ENOTFOUND web.whatsapp.com)'],
    });
  });
});
