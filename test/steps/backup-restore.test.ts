// steps/backup-restore.ts: the restore plan. The archive is fetched (restic, upload, on the server),
// checked, rebuilt from the answers (compose, openclaw.json), the current state kept, then swapped in
// by renames under a dead-man switch. The scripts it runs: test/steps/restore-scripts.test.ts.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Secret } from '../../src/core/secret.js';
import type { GuardedGroup, Plan, RunAction, WriteAction } from '../../src/plan/action.js';
import { printPlan } from '../../src/plan/print.js';
import { planRestore, restoreTreeDir, type RestoreRequest } from '../../steps/backup-restore.js';
import { CONTAINER_UID } from '../../steps/openclaw.js';
import { CHECK_ARCHIVE, MERGE_POLICY_JS, REBUILD_CONFIG } from '../../steps/restore-scripts.js';
import { imageRef, renderCompose } from '../../templates/compose.js';
import { openclawConfig } from '../../templates/openclaw-json.js';
import { everyAction, fixture } from '../helpers.js';
import { needTool, run, tempDir } from '../tool-runner.js';

const tmp = tempDir('backup-restore');
afterAll(() => tmp.cleanup());
const SRC = 'home/deploy/openclaw';

describe('the restore plan', () => {
  const identity = Secret.of('AGE_IDENTITY', 'AGE-SECRET-KEY-1SENTINEL');
  const plan = (req: RestoreRequest): Plan => planRestore(fixture('offsite'), req, 'h');
  const print = (p: Plan) => printPlan(p, { host: 'h', identityFile: '~/.ssh/id' });

  it('restic: fetched encrypted, decrypted on the server with the identity on stdin only; checked; current state kept; then the guarded swap', () => {
    const p = plan({ source: { kind: 'restic', snapshot: 'latest' }, identity });
    const runs = everyAction(p).filter((x): x is RunAction => x.kind === 'run');
    const decrypt = runs.find((x) => x.argv.join(' ').includes('age -d -i -'))!;
    expect(decrypt.stdin).toEqual([identity, '\n']);
    for (const x of runs) expect(x.argv.join(' ')).not.toContain('SENTINEL');
    const text = print(p);
    expect(text).not.toContain('AGE-SECRET-KEY-1SENTINEL');
    expect(text).toContain('<secret:AGE_IDENTITY>');
    const titles = p.steps.flatMap((s) => s.actions.map((x) => x.title));
    expect(titles.indexOf('keep the current state first: a local archive, as the daily backup makes')).toBeLessThan(
      titles.findIndex((t) => t.startsWith('switch to the restored files')),
    );
    const g = p.steps[1].actions[0] as GuardedGroup;
    expect(g.kind).toBe('guarded');
    expect(g.gates.map((x) => x.title)).toEqual(['the gateway answers /healthz on 127.0.0.1']);
    expect(g.afterRestore[0]).toBe(
      'if [ -d /home/deploy/openclaw.pre-restore ]; then rm -rf -- /home/deploy/openclaw && mv -- /home/deploy/openclaw.pre-restore /home/deploy/openclaw; fi',
    );
    // stop, swap (renames and the owner), recreate; the health gate; disarm
    expect(g.timeoutSec).toBeGreaterThanOrEqual(45 + 20 + 120 + 240 + 20);
  });

  it('an uploaded archive travels as a secret on stdin (it holds .env); printed plans pass shellcheck', (ctx) => {
    const p = plan({ source: { kind: 'upload', name: 'x.tar.gz', base64: Secret.of('ARCHIVE', 'H4sIAAAA'), encrypted: false }, identity: null });
    const text = print(p);
    expect(text).toContain('<secret:ARCHIVE>');
    expect(text).not.toContain('H4sIAAAA');
    const sc = needTool(ctx, 'shellcheck', 'shellcheck');
    for (const [n, t] of [
      ['upload', text],
      ['restic', print(plan({ source: { kind: 'restic', snapshot: 'latest' }, identity }))],
      ['newest', print(plan({ source: { kind: 'newest' }, identity: null }))],
    ]) {
      const f = join(tmp.dir, `restore-${n}.sh`);
      writeFileSync(f, t);
      const r = run(sc, ['-S', 'style', f]);
      expect(r.stdout, n).toBe('');
    }
  });
});

describe('the restore plan rebuilds from the answers', () => {
  const a = fixture('offsite');
  const p = planRestore(a, { source: { kind: 'newest' }, identity: null }, 'h');
  const all = everyAction(p);
  const titles = all.map((x) => x.title);

  it('check → compose from the answers → config rebuilt and validated → keep the current state → guarded swap by renames', () => {
    const tree = restoreTreeDir(a);
    expect(tree).toBe('/home/deploy/openclaw.restore');
    const check = all.find((x): x is RunAction => x.kind === 'run' && x.argv[2] === CHECK_ARCHIVE)!;
    expect(check.argv.slice(4)).toEqual(['/var/lib/claw-setup/restore', SRC, tree, 'deploy', CONTAINER_UID]);
    const compose = all.find((x): x is WriteAction => x.kind === 'write')!;
    expect(compose.path).toBe(`${tree}/docker-compose.yml`);
    expect(compose.content).toEqual([renderCompose(a)]);
    expect(compose.owner).toBe('deploy');
    const rebuild = all.find((x): x is RunAction => x.kind === 'run' && x.argv[2] === REBUILD_CONFIG)!;
    expect(rebuild.argv.slice(4)).toEqual([tree, imageRef(a), CONTAINER_UID, MERGE_POLICY_JS, JSON.stringify(openclawConfig(a))]);
    const order = [
      check.title,
      compose.title,
      rebuild.title,
      'keep the current state first: a local archive, as the daily backup makes',
      'stop the gateway (cleanly) before the switch',
    ];
    expect(order.map((t) => titles.indexOf(t))).toEqual([...order.map((t) => titles.indexOf(t))].sort((x, y) => x - y));
    expect(order.every((t) => titles.includes(t))).toBe(true);
    // No candidate is staged in config/, which the container can write (the compose file is ours: checked above).
    const text = JSON.stringify(p);
    expect(text).not.toContain('openclaw.json.restore-candidate');
    // root never follows a link with chown (-h on each)
    const chowns = [...text.matchAll(/chown [^;|&\\]*/g)].map((m) => m[0]);
    expect(chowns.length).toBeGreaterThanOrEqual(3);
    for (const c of chowns) expect(c).toMatch(/ -h /);
    expect(REBUILD_CONFIG).toContain('--network none');
  });
});
