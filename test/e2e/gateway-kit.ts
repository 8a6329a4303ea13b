// A running OpenClaw deployment on a fresh Debian 13 test server, for the tests that start from
// one (add-channel, audit): Debian's docker.io, the stand-in image (scripts/build-openclaw-image.sh)
// imported under the pinned tag as a pull would, then the whole plan to a healthy gateway.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureImage } from './testhost/testhost.js';
import { buildCli, rig, runCli, ROOT, teardown, type CliRun, type Rig, type RigOptions } from './rollout-kit.js';

export const OPENCLAW_VERSION = '2026.9.6';
export const OPENCLAW_IMAGE = `ghcr.io/openclaw/openclaw:${OPENCLAW_VERSION}`;
/** The compose project directory of the deploy user. */
export const OC = '/home/deploy/openclaw';

/** Builds the CLI, the Debian 13 image and the stand-in OpenClaw image (cached after the first time). */
export async function prepareGatewayHost(): Promise<void> {
  await ensureImage('debian-13');
  buildCli();
  const built = spawnSync('bash', [join(ROOT, 'scripts/build-openclaw-image.sh'), OPENCLAW_VERSION], { encoding: 'utf8', timeout: 20 * 60_000 });
  if (built.status !== 0) throw new Error(`stand-in image build failed:\n${built.stdout}\n${built.stderr}`);
}

/** The stand-in image into the host's Docker under the pinned tag: what a pull would do. */
export function importStandIn(r: Rig): void {
  const dir = join(process.env.TH_CACHE ?? '/var/cache/claw-setup-testhost', `openclaw-image-${OPENCLAW_VERSION}`);
  const changes = readFileSync(join(dir, 'changes.txt'), 'utf8').split('\n').filter(Boolean);
  r.host.dockerImport(join(dir, 'rootfs.tar'), OPENCLAW_IMAGE, changes);
}

/**
 * Boots a host and deploys to a healthy gateway (two runs: up to Docker, then, with the image
 * imported, the rest). Throws with the CLI's output when a run fails.
 */
export async function deployGateway(name: string, o: RigOptions = {}): Promise<{ r: Rig; runs: CliRun[] }> {
  await prepareGatewayHost();
  const r = await rig(name, {
    image: 'debian-13',
    docker: true,
    ...o,
    answers: { stopBefore: null, packages: { source: 'distro' }, ...o.answers },
  });
  const runs: CliRun[] = [];
  const check = (c: CliRun) => {
    runs.push(c);
    if (c.code !== 0) throw new Error(`deploy of ${name} failed (exit ${c.code}):\n${c.stdout}\n${c.stderr}`);
  };
  try {
    check(await runCli(r, ['--set', 'stopBefore=openclaw']));
    importStandIn(r);
    check(await runCli(r));
  } catch (e) {
    // The caller never gets the rig to tear down: do it here, so a failed deploy leaves no host behind.
    await teardown(r);
    throw e;
  }
  return { r, runs };
}

/**
 * An HTTP CONNECT proxy on this machine's address toward the test host, so that npm inside the
 * gateway container can reach the npm registry (to install a channel plugin, as a server with
 * internet access does directly). A child process, like the other test servers. Only port 443.
 */
export async function startConnectProxy(ip: string): Promise<{ proc: ChildProcess; url: string; connects: () => string[]; stop: () => void }> {
  const log = join(tmpdir(), `claw-proxy-${process.pid}-${Date.now()}.log`);
  writeFileSync(log, '');
  const code = `
    const net = require('node:net'), fs = require('node:fs');
    const srv = require('node:http').createServer((req, res) => res.writeHead(405).end());
    srv.on('connect', (req, sock, head) => {
      const [host, port] = String(req.url).split(':');
      fs.appendFileSync(${JSON.stringify(log)}, host + '\\n');
      if (port !== '443') { sock.end('HTTP/1.1 403 Forbidden\\r\\n\\r\\n'); return; }
      const up = net.connect(443, host, () => { sock.write('HTTP/1.1 200 Connection Established\\r\\n\\r\\n'); up.write(head); up.pipe(sock); sock.pipe(up); });
      up.on('error', () => sock.destroy()); sock.on('error', () => up.destroy());
    });
    srv.listen(0, ${JSON.stringify(ip)}, () => console.log(srv.address().port));`;
  const proc = spawn(process.execPath, ['-e', code], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<number>((resolve, reject) => {
    proc.stdout!.once('data', (d: Buffer) => resolve(Number(String(d).trim())));
    proc.once('exit', (c) => reject(new Error(`proxy exited ${c}`)));
  });
  return {
    proc,
    url: `http://${ip}:${port}`,
    connects: () => readFileSync(log, 'utf8').split('\n').filter(Boolean),
    stop: () => {
      proc.kill();
      rmSync(log, { force: true });
    },
  };
}
