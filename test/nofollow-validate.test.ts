// The monthly restore test and the candidate-config validation, run for real with bash and tar on
// this machine, with `docker` a stand-in that records its arguments (and what it was given on stdin
// or as a mount): an archive or a candidate planted with a link must never make root read through
// it, and nothing is ever run in the live gateway (no `docker exec`).
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { answersSchema } from '../src/answers/schema.js';
import { renderRestoreTestScript } from '../templates/backup-restore-test.js';
import { validateCandidateScript } from '../steps/deployment.js';

const SENTINEL = 'HOST-ONLY-SENTINEL-77a1';
let root: string;
let calls: string;
let env: NodeJS.ProcessEnv;

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'claw-nofollow-validate-'));
  calls = join(root, 'docker-calls');
  mkdirSync(join(root, 'bin'));
  // The stand-in records each call and what it was handed: stdin for `run -i`, the mounted candidate otherwise.
  writeFileSync(
    join(root, 'bin/docker'),
    `#!/bin/sh
echo "docker $*" >> '${calls}'
case "$*" in
  *"config --images"*) echo ghcr.io/openclaw/openclaw:2026.9.6 ;;
  *"run -i --rm "*) cat >> '${calls}' ;;
  *"run --rm "*) for a in "$@"; do case "$a" in *:/claw-candidate/openclaw.json:ro) cat "\${a%%:*}" >> '${calls}' ;; esac; done ;;
esac
`,
  );
  chmodSync(join(root, 'bin/docker'), 0o755);
  writeFileSync(join(root, 'host-secret'), `${SENTINEL}\n`, { mode: 0o600 });
  env = { ...process.env, PATH: `${join(root, 'bin')}:${process.env.PATH}` };
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

const recorded = () => (existsSync(calls) ? readFileSync(calls, 'utf8') : '');

describe('the monthly restore test checks archive members by type and parses in a throwaway container', () => {
  const src = () => join(root, 'home/deploy/openclaw');
  function archive(name: string, config: (dir: string) => void) {
    const s = src();
    rmSync(s, { recursive: true, force: true });
    mkdirSync(join(s, 'config'), { recursive: true });
    writeFileSync(join(s, 'docker-compose.yml'), 'services: {}\n');
    config(join(s, 'config'));
    mkdirSync(join(root, 'backups'), { recursive: true });
    const r = spawnSync('tar', ['-czf', join(root, 'backups', name), '-C', '/', s.slice(1)]);
    expect(r.status).toBe(0);
  }
  function restoreTest() {
    const script = renderRestoreTestScript(answersSchema.parse({}))
      .replace(/^src=.*$/m, `src=${src().slice(1)}`)
      .replace(/^dest=.*$/m, `dest=${join(root, 'backups')}`);
    writeFileSync(join(root, 'rt'), script);
    return spawnSync('bash', [join(root, 'rt')], { encoding: 'utf8', env, timeout: 60_000 });
  }

  it('an archive whose openclaw.json is a symlink to a host file: refused before extraction, the file is never read', () => {
    archive('openclaw-20260101T000000Z.tar.gz', (d) => symlinkSync(join(root, 'host-secret'), join(d, 'openclaw.json')));
    const r = restoreTest();
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(
      `FAIL /${src().slice(1)}/config/openclaw.json in ${join(root, 'backups/openclaw-20260101T000000Z.tar.gz')} is not a regular file (tar type 'l'`,
    );
    expect(r.stdout + r.stderr + recorded()).not.toContain(SENTINEL);
    expect(recorded()).toBe('');
  });

  it('symlinks elsewhere (npm puts them in node_modules/.bin) are neither extracted nor a problem; a FIFO anywhere is', () => {
    archive('openclaw-20260101T000000Z.tar.gz', (d) => {
      writeFileSync(join(d, 'openclaw.json'), '{"gateway": {}}\n');
      mkdirSync(join(d, 'extensions/x/node_modules/.bin'), { recursive: true });
      symlinkSync(join(root, 'host-secret'), join(d, 'extensions/x/node_modules/.bin/x'));
    });
    let r = restoreTest();
    expect(r.status, r.stderr).toBe(0);
    archive('openclaw-20260101T000000Z.tar.gz', (d) => {
      writeFileSync(join(d, 'openclaw.json'), '{"gateway": {}}\n');
      expect(spawnSync('mkfifo', [join(d, 'pipe')]).status).toBe(0);
    });
    r = restoreTest();
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/FAIL \S+ holds hard links, devices or FIFOs \(planted in the container's directories\?\): p.*config\/pipe;/);
  });

  it('plain JSON parses without any container; JSON5 goes to a throwaway container (no network, read-only), never the live gateway', () => {
    archive('openclaw-20260101T000000Z.tar.gz', (d) => writeFileSync(join(d, 'openclaw.json'), '{"gateway": {}}\n'));
    let r = restoreTest();
    expect(r.status, r.stderr).toBe(0);
    expect(recorded()).toBe('');
    archive('openclaw-20260102T000000Z.tar.gz', (d) => writeFileSync(join(d, 'openclaw.json'), '{ // json5\n gateway: {}, }\n'));
    spawnSync('touch', ['-d', '2030-01-01', join(root, 'backups/openclaw-20260102T000000Z.tar.gz')]);
    r = restoreTest();
    expect(r.status, r.stderr).toBe(0);
    const c = recorded();
    expect(c).toContain(
      'docker run -i --rm --network none --read-only --cap-drop ALL --security-opt no-new-privileges --memory 512m --pids-limit 64 --user 65534:65534 --entrypoint node ghcr.io/openclaw/openclaw:2026.9.6 -e',
    );
    expect(c).toContain('// json5');
    expect(c).not.toContain(' exec ');
  });
});

describe('candidate validation: a copy in a root-only directory, a throwaway container, never through a link', () => {
  const p = () =>
    ({ composeDir: join(root, 'oc'), compose: `${join(root, 'oc')}/docker-compose.yml` as const, stateDir: join(root, 'state') }) as Parameters<
      typeof validateCandidateScript
    >[0];
  const validate = (candidate: string) => spawnSync('sh', ['-c', validateCandidateScript(p(), candidate)], { encoding: 'utf8', env, timeout: 60_000 });

  it('a regular candidate is copied, mounted read-only into a container with no network, and the copy is gone afterwards', () => {
    const cand = join(root, 'openclaw.json.candidate');
    writeFileSync(cand, '{"candidate": true}\n');
    const r = validate(cand);
    expect(r.status, r.stderr).toBe(0);
    const c = recorded();
    expect(c).toMatch(
      /docker run --rm --network none --read-only --cap-drop ALL --security-opt no-new-privileges --memory 1g --pids-limit 256 --user \d+:\d+ .*-v \S+\/state\/validate\.\w+\/openclaw\.json:\/claw-candidate\/openclaw\.json:ro --entrypoint node ghcr.io\/openclaw\/openclaw:2026\.9\.6 dist\/index\.js config validate/,
    );
    expect(c).toContain('{"candidate": true}');
    expect(c).not.toMatch(/ exec /);
    expect(spawnSync('sh', ['-c', `ls -A ${join(root, 'state')}`], { encoding: 'utf8' }).stdout).toBe('');
  });

  it('a candidate swapped for a symlink to a host file is refused; the host file reaches no container', () => {
    const cand = join(root, 'openclaw.json.candidate');
    symlinkSync(join(root, 'host-secret'), cand);
    const r = validate(cand);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`${cand} is a symbolic link, not a regular file`);
    expect(recorded()).not.toContain(SENTINEL);
    expect(recorded()).not.toContain('docker run');
  });
});
