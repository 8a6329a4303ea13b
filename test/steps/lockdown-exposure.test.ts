// steps/lockdown-exposure.ts: what lockdown closes and unlock opens again per access mode (Caddy and
// its ports, Tailscale Serve; an SSH tunnel exposes nothing), and the gate that proves nothing public
// is left, run here with stand-ins for ss, systemctl and ufw on PATH.
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { closeExposure, exposureClosedArgv, exposureOpenGate, openExposure } from '../../steps/lockdown-exposure.js';
import { base, caddy, serve } from '../lockdown-fixtures.js';
import { run, tempDir } from '../tool-runner.js';

const tmp = tempDir('lockdown-exposure');
afterAll(() => tmp.cleanup());

describe('the exposure gate, run here', () => {
  const bin = join(tmp.dir, 'bin');
  mkdirSync(bin, { recursive: true });
  const fake = (name: string, body: string) => {
    writeFileSync(join(bin, name), `#!/bin/sh\n${body}\n`);
    chmodSync(join(bin, name), 0o755);
  };
  const exposure = (listeners: string, caddyActive: boolean, ufw = 'Status: active') => {
    fake('ss', `cat <<'EOF'\n${listeners}\nEOF`);
    fake('systemctl', `[ "$1 $2" = "is-active -q" ] && exit ${caddyActive ? 0 : 3}; exit 0`);
    fake('ufw', `printf '%s\\n' '${ufw}'`);
    const argv = exposureClosedArgv(caddy);
    return run(argv[0], argv.slice(1), { env: { ...process.env, PATH: `${bin}:${process.env.PATH}` } });
  };
  const ssLine = (addr: string) => `LISTEN 0      4096   ${addr}      0.0.0.0:*`;

  it('the exposure gate passes on loopback-only listeners and fails on a public one, Caddy running, or a ufw rule', () => {
    const lo = [ssLine('127.0.0.1:18789'), ssLine('127.0.0.1:18790'), ssLine('0.0.0.0:22'), ssLine('[::]:22'), ssLine('[::1]:18789')].join('\n');
    expect(exposure(lo, false)).toMatchObject({ status: 0, stdout: 'nothing public: only loopback on ports 80 443 18789 18790\n' });
    expect(exposure(`${lo}\n${ssLine('*:443')}`, false)).toMatchObject({ status: 1, stderr: 'still listening on a public address: *:443\n' });
    expect(exposure(`${lo}\n${ssLine('0.0.0.0:18789')}`, false).status).toBe(1);
    expect(exposure(lo, true).stderr).toBe('Caddy still runs\n');
    expect(exposure(lo, false, '443/tcp                    ALLOW       Anywhere').status).toBe(1);
  });

  it('with Tailscale Serve it also fails while Serve still publishes the gateway', () => {
    fake('ss', 'true');
    fake('tailscale', "echo 'https://vps.tail1234.ts.net (tailnet only)'; echo '|-- / proxy http://127.0.0.1:18789'");
    const argv = exposureClosedArgv(serve);
    const r = run(argv[0], argv.slice(1), { env: { ...process.env, PATH: `${bin}:${process.env.PATH}` } });
    expect(r).toMatchObject({ status: 1, stderr: 'Tailscale Serve still publishes the gateway\n' });
  });
});

describe('closing and opening per access mode', () => {
  it('Caddy: stopped and its two firewall rules removed; unlock opens both ports and starts it; its gate waits for 443', () => {
    expect(closeExposure(caddy).map((c) => c.title)).toEqual([
      'Caddy stopped and disabled (no public HTTPS site, also after a reboot)',
      'the firewall no longer allows 80/tcp and 443/tcp',
    ]);
    expect(closeExposure(caddy)[1].argv.slice(-2)).toEqual(['80/tcp', '443/tcp']);
    expect(openExposure(caddy).map((r) => r.argv.join(' '))).toEqual([
      'ufw allow 80/tcp comment claw-setup caddy',
      'ufw allow 443/tcp comment claw-setup caddy',
      'systemctl enable --now caddy',
    ]);
    expect(exposureOpenGate(caddy).map((g) => g.title)).toEqual(['Caddy runs again and listens on 443']);
  });

  it('Tailscale Serve: reset, and published again on unlock', () => {
    expect(closeExposure(serve).map((c) => c.argv.join(' '))).toEqual(['tailscale serve reset']);
    expect(openExposure(serve).map((r) => r.argv.join(' '))).toEqual(['tailscale serve --bg --https=443 http://127.0.0.1:18789']);
    expect(exposureOpenGate(serve)).toHaveLength(1);
  });

  it('an SSH tunnel: nothing to close, open or wait for', () => {
    expect(base.access.mode).toBe('ssh-tunnel');
    expect([closeExposure(base), openExposure(base), exposureOpenGate(base)]).toEqual([[], [], []]);
  });
});
