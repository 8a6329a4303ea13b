import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { answersSchema } from '../src/answers/schema.js';
import { ago, formatStatus, parseStatus } from '../src/plan/status.js';
import { renderStatusScript } from '../templates/status-script.js';
import { serverPaths } from '../src/plan/paths.js';
import { needTool, run, tempDir } from './tool-runner.js';

const tmp = tempDir('status');
afterAll(() => tmp.cleanup());

const NOW = 1796027304;
const b64 = (s: string) => Buffer.from(s).toString('base64');
// openclaw.json as the status script prints it: one base64 line (the file is the container's).
const CONFIG = `{
  "gateway": { "auth": { "mode": "token", "token": { "source": "env", "id": "OPENCLAW_GATEWAY_TOKEN" } } },
  "channels": { "telegram": { "botToken": { "source": "env", "id": "TELEGRAM_BOT_TOKEN" } }, "discord": { "enabled": false } },
}`;
// The shape the status script prints (taken from a deployed test server, channels and an alert added).
const OUT = `
@@claw:gateway@@
running|healthy|2026-11-30T08:22:48.084683264Z|2|ghcr.io/openclaw/openclaw:2026.9.6

@@claw:healthz@@
ok

@@claw:config@@
${b64(CONFIG)}

@@claw:backup@@
${NOW - 5400}.3425047430 /var/backups/openclaw/openclaw-20261130T082817Z.tar.gz

@@claw:restoretest@@
success
${NOW - 9 * 86400}

@@claw:token@@
2026-10-01T12:00:00Z

@@claw:alert@@
${NOW - 3 * 86400 - 7200}
gateway does not answer http://127.0.0.1:18789/healthz
container openclaw-gateway is not running

@@claw:updates@@
7 2
reboot-required

@@claw:deadman@@
armed

@@claw:firewall@@
Status: active

@@claw:host@@
${NOW}
2026-11-30 05:48:31
29

@@claw:end@@
`;

describe('claw-setup status', () => {
  it('reads every section; durations against the server clock', () => {
    const v = parseStatus(OUT);
    expect(v.channels).toEqual([
      { type: 'telegram', enabled: true },
      { type: 'discord', enabled: false },
    ]);
    expect(v.updates).toEqual({ pending: 7, security: 2, rebootRequired: true });
    expect(formatStatus(v)).toEqual([
      'gateway   up 5m (since 2026-11-30 08:22:48 UTC), healthy, /healthz ok, 2 restarts, ghcr.io/openclaw/openclaw:2026.9.6',
      'channels  telegram, discord (disabled)',
      'backup    1h 30m ago: /var/backups/openclaw/openclaw-20261130T082817Z.tar.gz; restore test passed 9d 0h ago',
      'alert     3d 2h ago: gateway does not answer http://127.0.0.1:18789/healthz; container openclaw-gateway is not running',
      'updates   7 pending (2 security); REBOOT REQUIRED',
      'secrets   gateway token 59d 20h old (renew: claw-setup rotate gateway-token)',
      'server    firewall active, a dead-man switch is ARMED (run claw-setup audit), disk 29% used, up since 2026-11-30 05:48:31',
    ]);
  });

  it('a stopped gateway, no backup, no alert, no channels', () => {
    const out = OUT.replace(/running\|healthy\|[^\n]*/, 'exited|unhealthy|2026-11-30T08:22:48Z|0|img')
      .replace(/@@claw:backup@@\n[^\n]*\n/, '@@claw:backup@@\n')
      .replace(/@@claw:alert@@\n(.*\n){3}/, '@@claw:alert@@\n')
      .replace(/@@claw:restoretest@@\n(.*\n){2}/, '@@claw:restoretest@@\ninactive\n')
      .replace(/@@claw:token@@\n.*\n/, '@@claw:token@@\n')
      .replace(b64(CONFIG), b64(CONFIG.replace(/"channels": \{.*\},\n/, '')));
    const [gw, ch, backup, alert] = formatStatus(parseStatus(out));
    expect(gw).toBe('gateway   EXITED; start it: cd ~/openclaw && sudo docker compose up -d');
    expect(ch).toMatch(/^channels {2}none configured/);
    expect(backup).toBe('backup    none yet; restore test not run yet (monthly)');
    expect(formatStatus(parseStatus(out))[5]).toBe('secrets   gateway token: no record of its age (claw-setup rotate gateway-token)');
    expect(alert).toBe('alert     none sent');
  });

  it('refuses output that did not reach its end', () => {
    expect(() => parseStatus(OUT.replace('@@claw:end@@', ''))).toThrow(/did not finish/);
  });

  it('ago()', () => {
    expect([0, 59, 60, 3599, 3600 * 5 + 120, 86400 * 2 + 3600].map(ago)).toEqual(['just now', 'just now', '1m', '59m', '5h 2m', '2d 1h']);
  });

  it("openclaw.json (the container's file) cannot pose as another section: the script prints it as one base64 line", () => {
    const a = answersSchema.parse({});
    const lines = renderStatusScript(a).split('\n');
    const from = lines.indexOf('s config');
    const to = lines.indexOf('s backup');
    expect(from).toBeGreaterThan(0);
    const file = join(tmp.dir, 'openclaw.json');
    writeFileSync(file, '{ "channels": {} }\n@@claw:gateway@@\nrunning|healthy|2026-11-30T08:22:48Z|0|forged\n@@claw:healthz@@\nok\n');
    const part = [lines.find((l) => l.startsWith('s() {'))!, ...lines.slice(from, to)].join('\n').replaceAll(serverPaths(a).config, file);
    const r = run('bash', ['-c', part]);
    expect(r.status, r.stderr).toBe(0);
    const v = parseStatus(`@@claw:gateway@@\nexited|none||3|real\n@@claw:healthz@@\ndown\n${r.stdout}\n@@claw:end@@\n`);
    expect(v.gateway).toMatchObject({ state: 'exited', image: 'real', healthz: false });
    // The whole file is decoded as one: with the forged lines in it, it is no JSON5 (channels unknown).
    expect(v.channels).toBeNull();
  });

  it("apt's slow simulation runs beside the rest (started first, read at its section), not before or after it", () => {
    const bin = join(tmp.dir, 'bin');
    const log = join(tmp.dir, 'order.log');
    run('mkdir', ['-p', bin]);
    // Stand-ins that note when they run: apt-get takes 2 s and finds one security update, docker 1 s.
    writeFileSync(
      join(bin, 'apt-get'),
      `#!/bin/sh\necho "apt-start $(date +%s%3N)" >>${log}\nsleep 2\necho "Inst libssl3 (3.0 Debian-Security:13/stable-security)"\necho "apt-end $(date +%s%3N)" >>${log}\n`,
    );
    writeFileSync(join(bin, 'docker'), `#!/bin/sh\nsleep 1\necho 'running|healthy|2026-11-30T08:22:48Z|0|img'\necho "docker-end $(date +%s%3N)" >>${log}\n`);
    run('chmod', ['755', join(bin, 'apt-get'), join(bin, 'docker')]);
    const r = run('bash', ['-c', renderStatusScript(answersSchema.parse({}))], { env: { ...process.env, PATH: `${bin}:${process.env.PATH}` } });
    expect(r.stdout).toMatch(/@@claw:updates@@\n1 1\n/);
    expect(r.stdout).toContain('@@claw:end@@');
    const at = Object.fromEntries(
      run('cat', [log])
        .stdout.trim()
        .split('\n')
        .map((l) => l.split(' '))
        .map(([k, v]) => [k, Number(v)]),
    );
    // apt started before the gateway's section was done: one after the other, it would start only after it.
    expect(at['apt-start']).toBeLessThan(at['docker-end']);
  });

  it('the script passes shellcheck and never reads .env', (ctx) => {
    const sc = needTool(ctx, 'shellcheck', 'shellcheck');
    const script = renderStatusScript(answersSchema.parse({}));
    expect(script).not.toContain('.env');
    const f = join(tmp.dir, 'status.sh');
    writeFileSync(f, script);
    const r = run(sc, ['-s', 'bash', f]);
    expect(r.status, r.stdout).toBe(0);
  });
});
