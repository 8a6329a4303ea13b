// steps/channel-reload.ts: a channel change that sets no .env value switches the config under the
// running gateway (no stop, no recreate) and is proven by OpenClaw's own reload line in its log.
// The gate's script runs here with sh, against a stand-in `docker` that prints log lines.
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { channelFromFlags } from '../../src/answers/channel-input.js';
import { answersSchema } from '../../src/answers/schema.js';
import { Secret } from '../../src/core/secret.js';
import type { Deployed } from '../../src/plan/deployed-state.js';
import { mergeChannelConfig, planChannelChange } from '../../steps/channel.js';
import { reloadedGate, switchLive } from '../../steps/channel-reload.js';
import { renderOpenclawJson } from '../../templates/openclaw-json.js';
import { run, tempDir } from '../tool-runner.js';

const tmp = tempDir('channel-reload');
afterAll(() => tmp.cleanup());
const base = answersSchema.parse({
  target: { host: '203.0.113.10' },
  deployUser: { authorizedKeys: ['ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIB7n4h0o3J6w0wz0h0h0h0h0h0h0h0h0h0h0h0h0h0h0 x'] },
});
const TG = Secret.of('TELEGRAM_BOT_TOKEN', '7700112233:AAUnitTelegramSentinel_0123456789', 'test');
const telegram = (extra: string[] = []) => channelFromFlags('telegram', ['allowFrom=123456789', ...extra], base);
const withTelegram = mergeChannelConfig(renderOpenclawJson(base), 'p', { op: 'add', channel: telegram(), secrets: [TG] });
const deployed = (over: Partial<Deployed> = {}): Deployed => ({
  configText: withTelegram,
  envKeys: ['OPENCLAW_GATEWAY_TOKEN', 'TELEGRAM_BOT_TOKEN', 'TZ'],
  journal: { tool: 'claw-setup', answers: base },
  journalAnswers: base,
  ...over,
});
/** The guarded group's action titles, gate titles and restore command. */
function group(cp: ReturnType<typeof planChannelChange>) {
  const g = cp.plan.steps[0].actions[1];
  if (g.kind !== 'guarded') throw new Error('no group');
  return { actions: g.actions.map((a) => a.title), gates: g.gates.map((x) => x.title), afterRestore: g.afterRestore.join('\n') };
}

describe('which channel changes reload live and which recreate the gateway', () => {
  it('remove: no stop and no recreate; the reload is a gate, then health; the restore only starts a stopped gateway', () => {
    const g = group(planChannelChange(base, deployed(), { op: 'remove', type: 'telegram' }, 'h'));
    expect(g.actions).toEqual([
      'candidate openclaw.json with channels.telegram removed',
      'OpenClaw accepts the candidate config (its own validator, in the gateway image)',
      '.env: remove TELEGRAM_BOT_TOKEN',
      'switch to the candidate config (the running gateway reloads it: no restart)',
    ]);
    expect(g.gates).toEqual(['the running gateway reloaded the new config (OpenClaw says so in its log)', 'the gateway answers /healthz on 127.0.0.1']);
    expect(g.afterRestore).not.toMatch(/force-recreate|stop/);
    expect(g.afterRestore).toMatch(/ up -d$/);
  });
  it('add with the token the server already holds (a policy change): live, and the probe still proves the channel', () => {
    const g = group(planChannelChange(base, deployed(), { op: 'add', channel: telegram(['requireMention=false']), secrets: [] }, 'h'));
    expect(g.actions.some((t) => /stop|recreate/.test(t))).toBe(false);
    expect(g.gates).toHaveLength(3);
    expect(g.gates[2]).toMatch(/OpenClaw's own probe of the telegram channel/);
  });
  it('add with a new token: the value reaches the gateway only through a new container, so stop and recreate stay', () => {
    const g = group(planChannelChange(base, deployed(), { op: 'add', channel: telegram(['requireMention=false']), secrets: [TG] }, 'h'));
    expect(g.actions.slice(-3)).toEqual([
      'stop the gateway (cleanly) before the switch',
      'switch to the candidate config',
      'recreate the gateway with the new files',
    ]);
    expect(g.gates[0]).toBe('the gateway answers /healthz on 127.0.0.1');
    expect(g.afterRestore).toMatch(/force-recreate/);
  });
});

describe('the switch and the reload gate, run with sh', () => {
  const paths = { stateDir: join(tmp.dir, 'state'), config: join(tmp.dir, 'openclaw.json') };
  const bin = join(tmp.dir, 'bin');
  /** A `docker` whose `logs --since S` prints $LOGS (only when S is a number, as the stamp holds). */
  function fakeDocker(): void {
    run('mkdir', ['-p', bin]);
    writeFileSync(join(bin, 'docker'), '#!/bin/sh\n[ "$1" = logs ] && [ "$2" = --since ] && [ "$3" -gt 0 ] && printf "%b" "$LOGS"\n');
    chmodSync(join(bin, 'docker'), 0o755);
  }
  const gateRun = (logs: string, seconds = 2) => {
    const [cmd, ...args] = (reloadedGate(paths, seconds).check as { argv: readonly string[] }).argv;
    return run(cmd, args, { env: { ...process.env, PATH: `${bin}:${process.env.PATH}`, LOGS: logs } });
  };

  it('the switch notes the time in the root-only state dir, then renames the candidate in', () => {
    writeFileSync(`${paths.config}.candidate`, '{"new":1}\n');
    writeFileSync(paths.config, '{"old":1}\n');
    const [cmd, ...args] = switchLive(paths, `${paths.config}.candidate`).argv;
    expect(run(cmd, args).status).toBe(0);
    expect(run('cat', [paths.config]).stdout).toBe('{"new":1}\n');
    expect(Number(run('cat', [join(paths.stateDir, 'channel-switch.at')]).stdout)).toBeGreaterThan(1_700_000_000);
    expect(run('stat', ['-c', '%a', paths.stateDir]).stdout.trim()).toBe('700');
  });
  it('passes on OpenClaw’s "hot reload applied" line or its in-process restart, and names it', () => {
    fakeDocker();
    const ok = gateRun('2026-12-07T21:00:00Z [reload] config hot reload applied (channels.telegram)\\n');
    expect(ok.status, ok.stderr).toBe(0);
    expect(ok.stdout).toContain('config hot reload applied (channels.telegram)');
    expect(gateRun('[reload] config reload: plugins.entries.discord\\n').status).toBe(0);
  });
  it('fails at once on a reload OpenClaw refused, with its reason', () => {
    const t0 = Date.now();
    const bad = gateRun('[reload] config reload skipped (invalid config): channels.telegram.bogus\\n', 20);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain('config reload skipped (invalid config): channels.telegram.bogus');
    expect(Date.now() - t0).toBeLessThan(10_000);
  });
  it('fails when the gateway says nothing about a reload in time (other lines do not count)', () => {
    const none = gateRun('[gateway] listening on 0.0.0.0:18789\\n', 1);
    expect(none.status).toBe(1);
    expect(none.stderr).toContain('the gateway logged no config reload within 1 s');
  });
});
