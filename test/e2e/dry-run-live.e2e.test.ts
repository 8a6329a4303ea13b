// --dry-run means one thing in every command (issue 21 item 7): on a deployed Debian 13 test server
// that answers, every day-2 dry run is live and read-only (no "offline plan" line, nothing changes);
// audit --json and status --json print exactly one JSON document and audit's exit code is its verdict.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testhostUnavailableReason } from './testhost/testhost.js';
import { look, runCli, teardown, type Rig } from './rollout-kit.js';
import { deployGateway, OC } from './gateway-kit.js';

const unavailable = testhostUnavailableReason();
const sums = (r: Rig) =>
  look(r, `sudo sh -c 'sha256sum ${OC}/.env ${OC}/config/openclaw.json ${OC}/docker-compose.yml; docker inspect -f {{.Id}} openclaw-gateway'`);

describe.skipIf(unavailable !== null)(`live dry runs and JSON documents${unavailable ? ` (skipped: ${unavailable})` : ''}`, () => {
  let r: Rig | undefined;
  const need = () => {
    if (!r) throw new Error('no deployed test host (see the first failure)');
    return r;
  };
  beforeAll(async () => {
    ({ r } = await deployGateway(`dryl-${process.pid % 10000}`));
  }, 900_000);
  afterAll(() => teardown(r), 120_000);

  it.each([
    ['backup', ['backup'], /dry run: nothing was changed anywhere/],
    ['restore', ['restore'], /dry run: nothing was changed anywhere/],
    ['rotate', ['rotate', 'gateway-token'], /dry run: nothing was changed anywhere/],
    ['upgrade', ['upgrade'], /already runs/],
    ['remove-channel', ['remove-channel', '--type', 'discord'], /nothing to change/],
    ['lockdown', ['lockdown'], /dry run: nothing was changed anywhere/],
  ])('%s --dry-run: live and read-only (the server answered: no offline plan), nothing changed', { timeout: 180_000 }, async (_n, argv, said) => {
    const x = need();
    const before = sums(x);
    const c = await runCli(x, [...argv, '--dry-run']);
    expect(c.code, c.stdout + c.stderr).toBe(0);
    expect(c.stderr).not.toMatch(/offline plan/);
    expect(c.stdout).toMatch(said);
    expect(sums(x)).toBe(before);
  });

  it('audit --json: one JSON document on stdout, its exit code the verdict (0/1/2); status --json one document too', { timeout: 300_000 }, async () => {
    const x = need();
    const a = await runCli(x, ['audit', '--json']);
    const report = JSON.parse(a.stdout) as { exitCode: number };
    expect([0, 1, 2]).toContain(a.code);
    expect(report.exitCode).toBe(a.code);
    const s = await runCli(x, ['status', '--json']);
    expect(s.code, s.stderr).toBe(0);
    expect(JSON.parse(s.stdout)).toBeTypeOf('object');
  });
});
