// Root's writes and reads next to what the gateway container owns (issue 23 item 1), run for real:
// the executor's write script and the deployment probe, as root on this machine, against a config
// directory owned by the container's uid, with that uid planting links and racing.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { linkSync, lstatSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { write } from '../src/plan/action.js';
import { writeScript, WRITE_CHANGED, WRITE_UNCHANGED } from '../src/exec/ssh-args.js';
import { deployedProbeArgv, parseDeployed } from '../src/facts/deployed.js';
import { answersSchema } from '../src/answers/schema.js';
import { renderStatusScript } from '../templates/status-script.js';
import { AS_ROOT, asAttacker, ATTACKER_UID, fingerprint, hostileTree, race } from './nofollow-racer.js';

let t: ReturnType<typeof hostileTree>;
let p: string;
const CONTENT = '{"gateway":{"mode":"local"}}\n';

/** The executor's write, as it runs on the server: `umask 077; sh -c SCRIPT`, hash then content on stdin. */
function put(path: string, content = CONTENT, owner = String(ATTACKER_UID)) {
  const [sh, c, script] = writeScript(write(path, content, { mode: 0o600, owner }));
  // through a pipe, as ssh gives it (a socket on stdin, as node gives it, cannot be opened as /dev/stdin)
  const r = spawnSync('sh', ['-c', 'cat | { umask 077; "$0" "$1" "$2"; }', sh, c, script], {
    input: `${createHash('sha256').update(content).digest('hex')}\n${content}`,
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

function probe() {
  const [cmd, ...args] = deployedProbeArgv({ journal: join(t.root, 'journal.json'), config: p, env: join(t.oc, '.env') });
  const started = Date.now();
  const r = spawnSync(cmd, args, { encoding: 'utf8', timeout: 60_000 });
  return { ...r, ms: Date.now() - started };
}

beforeEach(() => {
  t = hostileTree('claw-nofollow-');
  p = join(t.config, 'openclaw.json');
});
afterEach(() => rmSync(t.root, { recursive: true, force: true }));

describe.skipIf(!AS_ROOT)('the write script never writes or reads through a planted name (as root)', () => {
  it('a symlink to a root-only file at the target is replaced, the file it pointed to is untouched', () => {
    const before = fingerprint(t.secret);
    asAttacker(t.config, `ln -s ${t.secret} openclaw.json`);
    const r = put(p);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain(WRITE_CHANGED);
    expect(lstatSync(p).isSymbolicLink()).toBe(false);
    expect(readFileSync(p, 'utf8')).toBe(CONTENT);
    expect(statSync(p).uid).toBe(ATTACKER_UID);
    expect(statSync(p).mode & 0o777).toBe(0o600);
    expect(fingerprint(t.secret)).toBe(before);
    // no temporary directory left behind, and none was made in the container's directory
    expect(readdirSync(join(t.root, 'home')).filter((n) => n.startsWith('.claw-tmp'))).toEqual([]);
    expect(readdirSync(t.config)).toEqual(['openclaw.json']);
  });

  it('a FIFO at the target does not hang the check (it used to wait forever in sha256sum); a hard link is replaced, not written', () => {
    asAttacker(t.config, 'mkfifo openclaw.json');
    const r = put(p);
    expect(r.code, r.err).toBe(0);
    expect(readFileSync(p, 'utf8')).toBe(CONTENT);

    rmSync(p);
    linkSync(t.secret, p); // (root makes it: the kernel's protected_hardlinks stops the container doing this to a root file)
    const before = fingerprint(t.secret);
    expect(put(p).code).toBe(0);
    expect(fingerprint(t.secret)).toBe(before);
    expect(statSync(p).nlink).toBe(1);
  });

  it('the same content, mode and owner is left alone; through a symlink with that content it is not "the same"', () => {
    expect(put(p).code).toBe(0);
    expect(put(p).out).toContain(WRITE_UNCHANGED);
    const twin = join(t.root, 'etc/twin');
    writeFileSync(twin, CONTENT, { mode: 0o600 });
    rmSync(p);
    asAttacker(t.config, `ln -s ${twin} openclaw.json`);
    expect(put(p, CONTENT, 'root').out).toContain(WRITE_CHANGED);
    expect(lstatSync(p).isSymbolicLink()).toBe(false);
  });

  it('a directory of the container swapped for a symlink is refused, nothing lands where it points', () => {
    asAttacker(t.config, `ln -s ${join(t.root, 'etc')} sub`);
    const r = put(join(t.config, 'sub/x.json'));
    expect(r.code).not.toBe(0);
    expect(r.err).toContain('is not a directory (a symlink or missing): refusing to write');
    expect(readdirSync(join(t.root, 'etc')).sort()).toEqual(['health.sh', 'secret']);
  });

  it('20 writes while the container re-plants a symlink to a root script: the script never changes owner or content', () => {
    const before = fingerprint(t.script);
    const racer = race(t.config, `ln -sfn ${t.script} openclaw.json`);
    try {
      for (let i = 0; i < 20; i++) {
        expect(put(p).code).toBe(0);
        expect(fingerprint(t.script)).toBe(before);
      }
    } finally {
      racer.stop();
    }
  }, 120_000);
});

describe.skipIf(!AS_ROOT)('the deployment probe never reads through a planted name (as root)', () => {
  beforeEach(() => {
    writeFileSync(join(t.oc, '.env'), "OPENCLAW_GATEWAY_TOKEN='x'\n", { mode: 0o600 });
  });

  it('reads a regular openclaw.json', () => {
    writeFileSync(p, CONTENT);
    const r = probe();
    expect(r.status, r.stderr).toBe(0);
    const d = parseDeployed(r.stdout);
    expect(d.configText).toBe(CONTENT);
    expect(d.envKeys).toEqual(['OPENCLAW_GATEWAY_TOKEN']);
  });

  it('a symlink to a root-only file: refused with the file named, the host file never reaches the output', () => {
    asAttacker(t.config, `ln -s ${t.secret} openclaw.json`);
    const r = probe();
    expect(r.status).toBe(0);
    expect(r.stdout + r.stderr).not.toContain('ROOT-ONLY-SENTINEL');
    expect(Buffer.from(r.stdout.replace(/\s+/g, ''), 'base64').toString()).not.toContain('ROOT-ONLY-SENTINEL');
    expect(() => parseDeployed(r.stdout)).toThrow(`refusing to read the deployment's config: ${p} is a symbolic link, not a regular file`);
  });

  it('a FIFO answers at once (no hang); a hard link and a directory are refused by what they are', () => {
    asAttacker(t.config, 'mkfifo openclaw.json');
    let r = probe();
    expect(r.ms).toBeLessThan(15_000);
    expect(() => parseDeployed(r.stdout)).toThrow(`${p} is a fifo, not a regular file`);
    rmSync(p);
    linkSync(t.secret, p);
    r = probe();
    expect(r.stdout).not.toContain(Buffer.from('ROOT-ONLY-SENTINEL-5f1e\n').toString('base64'));
    expect(() => parseDeployed(r.stdout)).toThrow(`${p} has 2 hard links`);
    rmSync(p);
    mkdirSync(p);
    expect(() => parseDeployed(probe().stdout)).toThrow(`${p} is a directory, not a regular file`);
  });
});

describe.skipIf(!AS_ROOT)('claw-setup status reads openclaw.json without following a planted name (as root)', () => {
  /** The status script's own line for the config section, pointed at the scratch tree. */
  const statusRead = () => {
    const line = renderStatusScript(answersSchema.parse({}))
      .split('\n')
      .find((l) => l.startsWith('f=') && l.includes('openclaw.json'));
    if (!line) throw new Error('no config line in the status script');
    return spawnSync('bash', ['-c', line.replace(/^f=\S+;/, `f=${p};`)], { encoding: 'utf8', timeout: 30_000 });
  };

  it('a regular file is sent back; a symlink to a root-only file or a FIFO sends nothing and does not hang', () => {
    // The section is one base64 line (src/plan/status.ts decodes it); nothing read is an empty line.
    writeFileSync(p, CONTENT);
    expect(Buffer.from(statusRead().stdout.trim(), 'base64').toString('utf8')).toBe(CONTENT);
    rmSync(p);
    asAttacker(t.config, `ln -s ${t.secret} openclaw.json`);
    expect(statusRead().stdout).toBe('\n');
    rmSync(p);
    asAttacker(t.config, 'mkfifo openclaw.json');
    const started = Date.now();
    expect(statusRead().stdout).toBe('\n');
    expect(Date.now() - started).toBeLessThan(15_000);
  });
});
