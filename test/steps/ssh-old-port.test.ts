// Issue 23 "Lower": after a port move the old port's firewall rules stayed open for good. The
// ssh step now closes them under a dead-man switch once the new port is proven (steps/ssh-old-port.ts).
// The probes run in a real shell against a stand-in `ufw` that prints what `ufw show added` printed
// on the test server (test/e2e/port-move.e2e.test.ts proves the same on a real one).
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { answersSchema, type AnswersInput } from '../../src/answers/schema.js';
import { assumedFacts } from '../../src/plan/facts.js';
import type { Argv, GuardedGroup, Plan, RunAction } from '../../src/plan/action.js';
import { printPlan } from '../../src/plan/print.js';
import { planFor } from '../helpers.js';

const KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOzac/xuB9gNpgB4w5HHB6XCSigKaq1/D/1Wknm6DDhs you@laptop';
const OP = '198.51.100.7';
const answers = (extra: AnswersInput = {}) => answersSchema.parse({ target: { host: '203.0.113.10' }, ...extra, deployUser: { authorizedKeys: [KEY] } });
const fresh = assumedFacts('debian-12', 'root', OP);
const moved = { ...assumedFacts('debian-12', 'deploy', OP), source: 'probed' as const, sshd: { port: '2222' } };
const groups = (plan: Plan) => plan.steps.find((s) => s.id === 'ssh')!.actions.filter((a): a is GuardedGroup => a.kind === 'guarded');
const oldPort = (plan: Plan) => groups(plan).find((g) => g.id === 'ssh-old-port');
const argvs = (g: GuardedGroup) => (g.actions as RunAction[]).map((a) => a.argv.join(' '));

/** `ufw show added` as ufw prints it, for a host that still has the port-22 rules (and the 2222 ones). */
const SHOW_ADDED = (ports: number[], ts = false) =>
  [
    "Added user rules (see 'ufw status' for running firewall):",
    ...ports.flatMap((p) => [
      `ufw allow from ${OP} to any port ${p} proto tcp comment 'claw-setup break-glass'`,
      `ufw limit ${p}/tcp comment 'claw-setup ssh'`,
      ...(ts ? [`ufw allow in on tailscale0 to any port ${p} proto tcp comment 'claw-setup ssh over tailscale'`] : []),
    ]),
    '',
  ].join('\n');

/** Runs a probe argv with a stand-in `ufw` first on PATH; true when it exits 0. */
function probe(argv: Argv, ufwShowAdded: string): boolean {
  const bin = mkdtempSync(join(tmpdir(), 'claw-ufw-'));
  writeFileSync(join(bin, 'show-added'), ufwShowAdded);
  writeFileSync(join(bin, 'ufw'), `#!/bin/sh\n[ "$1 $2" = "show added" ] && exec cat "${bin}/show-added"\nexit 2\n`);
  chmodSync(join(bin, 'ufw'), 0o755);
  const r = spawnSync(argv[0], argv.slice(1), { env: { ...process.env, PATH: `${bin}:${process.env.PATH}` }, encoding: 'utf8' });
  return r.status === 0;
}

describe('after a port move, the old port is closed once the new one is proven', () => {
  const { plan } = planFor(answers({ ssh: { port: 2222 } }), fresh);

  it('a guarded group after the sshd group removes the old rate-limit and break-glass rules, gated on a fresh login on the new port', () => {
    expect(groups(plan).map((g) => g.id)).toEqual(['ssh', 'ssh-old-port']);
    const g = oldPort(plan)!;
    expect(argvs(g)).toEqual(['ufw delete limit 22/tcp', `ufw delete allow proto tcp from ${OP} to any port 22`]);
    expect(g.gates.map((x) => x.check)).toEqual([{ type: 'fresh-login', user: 'deploy', port: 2222, via: 'public', sudo: false }]);
    expect(g.backup).toEqual(['/etc/ufw', '/etc/default/ufw']);
    // the new port's rules are never touched
    expect(argvs(g).join('\n')).not.toContain('2222');
  });

  it('the printed plan shows the removal after the sshd reload and its gate', () => {
    const t = printPlan(plan, { host: '203.0.113.10', identityFile: '~/.ssh/id_ed25519' });
    expect(t.indexOf('ufw delete limit 22/tcp')).toBeGreaterThan(t.indexOf('reload sshd'));
  });

  it('nothing when the port stays', () => {
    expect(oldPort(planFor(answers(), fresh).plan)).toBeUndefined();
  });

  it('a rerun (sshd already on 2222, answers still name target.port 22) plans the group again, and its probes make it idempotent', () => {
    const g = oldPort(planFor(answers({ ssh: { port: 2222 } }), moved).plan)!;
    expect(argvs(g)).toEqual(['ufw delete limit 22/tcp', `ufw delete allow proto tcp from ${OP} to any port 22`]);
    // nothing left on 22: the group is skipped as a whole, and each removal too
    const clean = SHOW_ADDED([2222]);
    expect(probe(g.skipIf!, clean)).toBe(true);
    for (const a of g.actions as RunAction[]) expect(probe(a.skipIf!, clean)).toBe(true);
    // an older run left 22 open: the group runs, and each removal finds its rule
    const leftover = SHOW_ADDED([22, 2222]);
    expect(probe(g.skipIf!, leftover)).toBe(false);
    for (const a of g.actions as RunAction[]) expect(probe(a.skipIf!, leftover), a.title).toBe(false);
  });

  it('only the rule it removes counts: 2222 does not pass for 22, nor 22 for 222', () => {
    const g = oldPort(planFor(answers({ ssh: { port: 2222 } }), moved).plan)!;
    const [limit, breakGlass] = g.actions as RunAction[];
    expect(probe(limit.skipIf!, SHOW_ADDED([2222, 222]))).toBe(true);
    expect(probe(breakGlass.skipIf!, SHOW_ADDED([2222, 222]))).toBe(true);
    // another operator address's break-glass rule on 22 is not ours to remove here
    expect(probe(breakGlass.skipIf!, SHOW_ADDED([22]).replaceAll(OP, '203.0.113.99'))).toBe(true);
  });

  it('with Tailscale, the old port on tailscale0 goes too; with SSH only over the tailnet the gate goes over the tailnet', () => {
    const ts = { tailscale: { enabled: true, hostname: 'vps' } };
    const g = oldPort(planFor(answers({ ssh: { port: 2222 }, ...ts }), fresh).plan)!;
    expect(argvs(g)).toContain('ufw delete allow in on tailscale0 to any port 22 proto tcp');
    expect(probe((g.actions as RunAction[])[2].skipIf!, SHOW_ADDED([22, 2222], true))).toBe(false);
    expect(probe((g.actions as RunAction[])[2].skipIf!, SHOW_ADDED([2222], true))).toBe(true);
    const only = oldPort(planFor(answers({ ssh: { port: 2222 }, tailscale: { ...ts.tailscale, sshOnlyOverTailscale: true } }), fresh).plan)!;
    expect(only.gates[0].check).toMatchObject({ type: 'fresh-login', port: 2222, via: 'tailnet' });
  });
});
