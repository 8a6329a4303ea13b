// upgrade as a plan: what it changes and gates on, and its prune script run here for real (sh, a
// fake `docker` on PATH).
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { answersSchema } from '../../src/answers/schema.js';
import { UserError } from '../../src/core/errors.js';
import { revealText } from '../../src/core/secret.js';
import type { RunAction } from '../../src/plan/action.js';
import { parseRunningImage, parseUpgradeTarget, planUpgrade, pruneArgv } from '../../steps/upgrade.js';
import { renderCompose } from '../../templates/compose.js';
import { base, deployed, groupOf } from '../day2-fixtures.js';
import { run, tempDir } from '../tool-runner.js';

const tmp = tempDir('upgrade');
afterAll(() => tmp.cleanup());

describe('upgrade: the plan', () => {
  const next = answersSchema.parse({ ...base, openclaw: { ...base.openclaw, version: '2026.10.1' } });
  const current = parseRunningImage('ghcr.io/openclaw/openclaw:2026.9.6 sha256:aaaa ghcr.io/openclaw/openclaw@sha256:bbbb\n');
  const up = planUpgrade(base, next, deployed(), current, '203.0.113.10');
  const actions = up.plan.steps[0].actions;

  it('backup, dated copy, image, candidate compose validated by the NEW version before the guarded switch; prune and journal after', () => {
    expect(actions.map((a) => a.title)).toEqual([
      'a backup now (the daily backup service)',
      'keep a dated copy of docker-compose.yml and openclaw.json and .env',
      'get the image ghcr.io/openclaw/openclaw:2026.10.1 (pulled unless Docker has it)',
      'candidate docker-compose.yml naming ghcr.io/openclaw/openclaw:2026.10.1',
      'OpenClaw 2026.10.1 accepts the config as it is (its own validator, before anything switches)',
      'switch the gateway to ghcr.io/openclaw/openclaw:2026.10.1, prove it healthy, or go back to ghcr.io/openclaw/openclaw:2026.9.6',
      'remove older ghcr.io/openclaw/openclaw images (kept: ghcr.io/openclaw/openclaw:2026.10.1 and ghcr.io/openclaw/openclaw:2026.9.6 for a rollback)',
      'journal: the version now deployed, and the one before (no secrets)',
    ]);
    const validate = actions[4] as RunAction;
    expect(validate.argv.join(' ')).toContain(
      '-f /home/deploy/openclaw/docker-compose.yml.candidate run --rm --no-deps -T openclaw-gateway node dist/index.js config validate',
    );
    const g = groupOf(actions);
    expect(g.backup).toEqual(['/home/deploy/openclaw/docker-compose.yml', '/home/deploy/openclaw/config/openclaw.json']);
    expect(g.gates.map((x) => x.title)).toEqual([
      'the gateway answers /healthz on 127.0.0.1',
      "OpenClaw's own probe of the telegram channel (the credentials work)",
    ]);
    expect(g.afterRestore.join('\n')).toContain('--force-recreate');
    const journal = JSON.parse(revealText((actions[7] as { content: Parameters<typeof revealText>[0] }).content));
    expect(journal.answers.openclaw.version).toBe('2026.10.1');
    expect(journal.upgrades.at(-1)).toEqual({
      from: 'ghcr.io/openclaw/openclaw:2026.9.6',
      to: 'ghcr.io/openclaw/openclaw:2026.10.1',
      fromImageId: 'sha256:aaaa',
    });
    expect(up.changes).toBe(true);
    expect(planUpgrade(base, base, deployed(), current, 'h').changes).toBe(false);
  });

  it('a digest pins the exact image in the compose file; --to is validated', () => {
    const d = `sha256:${'ab'.repeat(32)}`;
    expect(parseUpgradeTarget(`2026.10.1@${d}`)).toEqual({ version: '2026.10.1', digest: d });
    expect(parseUpgradeTarget('2026.10.1')).toEqual({ version: '2026.10.1' });
    for (const bad of ['latest', '2026.10.1;rm -rf /', '2026.10.1@sha256:xyz', '2026.10.1 ', '$(id)'])
      expect(() => parseUpgradeTarget(bad), bad).toThrow(UserError);
    const pinned = answersSchema.parse({ ...base, openclaw: { ...base.openclaw, version: '2026.10.1', digest: d } });
    expect(renderCompose(pinned)).toContain(`image: "ghcr.io/openclaw/openclaw:2026.10.1@${d}"`);
    expect(() => answersSchema.parse({ ...base, openclaw: { ...base.openclaw, digest: 'sha256:nothex' } })).toThrow(/64 lowercase hex/);
  });

  it('reads the running image, or none', () => {
    expect(current).toEqual({ ref: 'ghcr.io/openclaw/openclaw:2026.9.6', id: 'sha256:aaaa', digest: 'ghcr.io/openclaw/openclaw@sha256:bbbb' });
    expect(parseRunningImage('- - -\n')).toBeNull();
    expect(parseRunningImage('ghcr.io/openclaw/openclaw:2026.9.6 sha256:aaaa -\n')?.digest).toBeNull();
  });

  it('prune removes only older tags of the repository, keeping the new and the previous (run with a fake docker)', () => {
    const bin = join(tmp.dir, 'fakebin');
    mkdirSync(bin, { recursive: true });
    const log = join(tmp.dir, 'docker.log');
    writeFileSync(log, '');
    writeFileSync(
      join(bin, 'docker'),
      `#!/bin/sh\necho "$*" >> ${log}\nif [ "$1 $2" = "image ls" ]; then printf '%s\\n' r/o:2026.9.5 r/o:2026.9.6 r/o:2026.10.1 'r/o:<none>'; fi\n`,
    );
    chmodSync(join(bin, 'docker'), 0o755);
    const argv = pruneArgv('r/o', [`r/o:2026.10.1@sha256:${'c'.repeat(64)}`, 'r/o:2026.9.6']);
    const r = run(argv[0], argv.slice(1), { env: { ...process.env, PATH: `${bin}:${process.env.PATH}` } });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout.trim()).toBe('removed r/o:2026.9.5');
    expect(readFileSync(log, 'utf8')).not.toMatch(/image rm r\/o:2026\.(9\.6|10\.1)/);
  });
});
