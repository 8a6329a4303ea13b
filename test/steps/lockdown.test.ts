// steps/lockdown.ts: lockdown / unlock as plans: the exact actions, gates and fail-closed reverts, no
// secret anywhere in the plan. The locked config itself: test/steps/lockdown-config.test.ts; the CLI:
// test/cli/lockdown.test.ts; server-side pieces run for real: test/lockdown-server.test.ts.
import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/core/errors.js';
import { revealText } from '../../src/core/secret.js';
import { planSecrets, type RunAction, type WriteAction } from '../../src/plan/action.js';
import { printPlan } from '../../src/plan/print.js';
import { lockedConfig } from '../../steps/lockdown-config.js';
import { lockRecord, planLockdown, planUnlock } from '../../steps/lockdown.js';
import { renderOpenclawJson } from '../../templates/openclaw-json.js';
import { base, caddy, deployed, flat, groupOf, locked, NOW, serve, titles, type Json } from '../lockdown-fixtures.js';

describe('lockdown plan', () => {
  const lp = planLockdown(caddy, deployed(caddy), 'vps', NOW);
  const actions = lp.plan.steps[0].actions;
  const group = groupOf(actions);

  it('snapshot first, then the exposure closed, then one guarded switch, the rotation date and the journal', () => {
    expect(titles(actions)).toEqual([
      'keep a dated copy of .env and openclaw.json and Caddyfile',
      'Caddy stopped and disabled (no public HTTPS site, also after a reboot)',
      'the firewall no longer allows 80/tcp and 443/tcp',
      group.title,
      'record the rotation date (/var/lib/claw-setup/rotated/)',
      'journal: the deployment is locked down (no secrets)',
    ]);
    expect((actions[0] as RunAction).argv.slice(3, 6)).toEqual(['/var/lib/claw-setup/backups/last-lockdown', '/var/lib/claw-setup/backups', 'lockdown']);
    expect(titles(group.actions)).toEqual([
      'candidate openclaw.json: every channel closed, risky tools denied, terminal and automations off',
      'OpenClaw accepts the candidate config (its own validator, in the gateway image)',
      'OPENCLAW_GATEWAY_TOKEN: a new token, made on the server (never shown)',
      'stop the gateway (cleanly) before the switch',
      'switch to the locked config',
      'recreate the gateway with the locked config and the new token',
    ]);
    expect(revealText((group.actions[0] as WriteAction).content)).toBe(lockedConfig(renderOpenclawJson(caddy), 'x').text);
    expect(titles(group.gates)).toEqual([
      'the gateway answers /healthz on 127.0.0.1',
      'the new gateway token opens the authenticated API; the old one is refused',
      'nothing is exposed: only loopback listens on the gateway ports, 80 and 443',
    ]);
  });

  it('behind a proxy (Caddy, Tailscale Serve) the token check says who the client is; through the tunnel it does not', () => {
    const script = (p: ReturnType<typeof planLockdown>) => JSON.stringify(groupOf(p.plan.steps[0].actions).gates[1]);
    expect(script(lp)).toContain('-H \\"X-Forwarded-For: 192.0.2.1\\"');
    expect(script(planLockdown(base, deployed(base), 'vps', NOW))).not.toContain('X-Forwarded-For');
  });

  it('fails closed: the revert puts the files back but stops the gateway instead of starting it on them', () => {
    expect(group.backup).toEqual(['/home/deploy/openclaw/.env', '/home/deploy/openclaw/config/openclaw.json']);
    expect(group.afterRestore.join('\n')).toMatch(/ stop --timeout 30 openclaw-gateway$/);
    expect(group.afterRestore.join('\n')).not.toMatch(/up -d/);
  });

  it('carries no secret: the token is made on the server, the plan and its printout hold no value', () => {
    expect(planSecrets(lp.plan)).toEqual([]);
    const printed = printPlan(lp.plan, { host: 'vps', port: 22, identityFile: '~/.ssh/id_ed25519' });
    expect(printed).not.toMatch(/[0-9a-f]{64}/);
    expect(printed).toContain('od -An -v -tx1 -N32 /dev/urandom');
    const journal = actions.at(-1) as WriteAction;
    expect(JSON.parse(revealText(journal.content)).lockdown).toEqual({
      state: 'locked',
      since: '2026-12-07T14:00:00Z',
      snapshot: '/var/lib/claw-setup/backups/last-lockdown',
      access: 'caddy',
    });
  });

  it('per access mode: Tailscale Serve is snapshotted and reset; an SSH tunnel has nothing to close', () => {
    const ts = planLockdown(serve, deployed(serve), 'vps', NOW).plan.steps[0].actions;
    expect((ts[1] as RunAction).argv.join(' ')).toContain('tailscale serve status --json >"$1/tailscale-serve.json"');
    expect((ts[2] as RunAction).argv).toEqual(['tailscale', 'serve', 'reset']);
    const plain = planLockdown(base, deployed(base), 'vps', NOW).plan.steps[0].actions;
    expect(plain[1].kind).toBe('guarded');
  });

  it('a second lockdown keeps the first snapshot (no new last-lockdown), closes again and rotates again', () => {
    const again = planLockdown(caddy, deployed(caddy, { journal: locked(caddy) }), 'vps', NOW);
    expect(again.again).toBe(true);
    const acts = again.plan.steps[0].actions;
    expect((acts[0] as RunAction).argv[3]).toBe('/var/lib/claw-setup/backups/last-lockdown-again');
    expect(flat(acts).map((x) => x.title)).toContain('OPENCLAW_GATEWAY_TOKEN: a new token, made on the server (never shown)');
    expect(JSON.stringify(groupOf(acts).gates)).toContain('last-lockdown-again/.env');
    const rec = JSON.parse(revealText((acts.at(-1) as WriteAction).content)).lockdown;
    expect(rec).toMatchObject({ state: 'locked', since: '2026-12-07T13:00:00Z', again: ['2026-12-07T14:00:00Z'] });
    expect(again.plan.header[1]).toContain('Already locked since 2026-12-07T13:00:00Z');
  });

  it('refuses a server with no config; reads no record from a journal without one', () => {
    expect(lockRecord(null)).toBeNull();
    expect(lockRecord({ lockdown: { state: 'maybe' } })).toBeNull();
    expect(() => planLockdown(base, deployed(base, { configText: null }), 'vps', NOW)).toThrow(/no OpenClaw config/);
  });
});

describe('unlock plan', () => {
  const snapshotText = renderOpenclawJson(caddy).replace('"maxAttempts": 10', '"maxAttempts": 7');
  const snap = { dir: '/var/lib/claw-setup/backups/20261207T130000Z-lockdown', configText: snapshotText };
  const now = deployed(caddy, { configText: lockedConfig(snapshotText, 'x').text, journal: locked(caddy) });

  it('refuses when the deployment is not locked', () => {
    expect(() => planUnlock(caddy, deployed(caddy), snap, 'vps', NOW)).toThrow(/vps is not locked down/);
    const unlocked = { ...locked(caddy), lockdown: { ...locked(caddy).lockdown, state: 'unlocked' } };
    expect(() => planUnlock(caddy, deployed(caddy, { journal: unlocked }), snap, 'vps', NOW)).toThrow(UserError);
  });

  it('puts the snapshot back byte for byte, reopens Caddy, probes each channel the snapshot runs, keeps the token', () => {
    const up = planUnlock(caddy, now, snap, 'vps', NOW);
    const group = groupOf(up.plan.steps[0].actions);
    expect(revealText((group.actions[0] as WriteAction).content)).toBe(snapshotText);
    expect(titles(group.actions)).toEqual([
      'candidate openclaw.json: as it was before the lockdown of 2026-12-07T13:00:00Z',
      'OpenClaw accepts the candidate config (its own validator, in the gateway image)',
      'stop the gateway (cleanly) before the switch',
      'switch to the snapshot config',
      'recreate the gateway with the snapshot config',
      'allow HTTP (certificate challenges, redirect)',
      'allow HTTPS',
      'start Caddy again (and at boot)',
    ]);
    expect(flat(up.plan.steps[0].actions).some((x) => x.title.includes('token, made on the server'))).toBe(false);
    expect(titles(group.gates)).toEqual([
      'the gateway answers /healthz on 127.0.0.1',
      'the token made at the lockdown opens the API; the one from before the lockdown stays refused',
      "OpenClaw's own probe of the telegram channel (the credentials work)",
      "OpenClaw's own probe of the discord channel (the credentials work)",
      'Caddy runs again and listens on 443',
    ]);
    expect(JSON.stringify(group.gates[1])).toContain(`${snap.dir}/.env`);
    // a failed unlock stays locked: the locked config back, Caddy closed again, the gateway recreated on it
    expect(group.afterRestore.join('\n')).toContain('systemctl disable --now caddy');
    expect(group.afterRestore.at(-1)).toMatch(/up -d --force-recreate/);
    expect(JSON.parse(revealText((up.plan.steps[0].actions.at(-1) as WriteAction).content)).lockdown).toMatchObject({
      state: 'unlocked',
      unlockedAt: '2026-12-07T14:00:00Z',
    });
    expect(up.after.join('\n')).toContain('never comes back');
    expect(up.configDiff).toContain('-      "dmPolicy": "disabled",');
    expect(planSecrets(up.plan)).toEqual([]);
  });

  it('a channel the snapshot had disabled is not probed', () => {
    const cfg = JSON.parse(snapshotText) as Json;
    cfg.channels.discord.enabled = false;
    const up = planUnlock(caddy, now, { ...snap, configText: JSON.stringify(cfg) }, 'vps', NOW);
    expect(titles(groupOf(up.plan.steps[0].actions).gates).filter((t) => t.includes('probe'))).toEqual([
      "OpenClaw's own probe of the telegram channel (the credentials work)",
    ]);
  });
});
