// temporary dev helper (deleted before the report): boot + deploy a host and leave it up
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensureImage } from './testhost/testhost.js';
import { buildCli, rig, runCli } from './rollout-kit.js';
const VERSION = '2026.9.6';
await ensureImage('debian-13');
buildCli();
const r = await rig(`auditdev`, {
  image: 'debian-13', docker: true, env: { ANTHROPIC_API_KEY: 'sk-ant-e2e-not-a-real-key-5f1c0d' },
  answers: { stopBefore: null, packages: { source: 'distro' }, openclaw: { providers: { anthropic: { env: 'ANTHROPIC_API_KEY' } } } },
});
writeFileSync('/tmp/auditdev/rig.json', JSON.stringify({ dir: r.dir, ip: r.host.ip, answersFile: r.answersFile, knownHosts: r.knownHosts, key: r.admin.privateKey }));
const one = await runCli(r, ['--set', 'stopBefore=openclaw']);
console.log('phase1', one.code, one.stdout.slice(-2000), one.stderr);
const dir = join('/var/cache/claw-setup-testhost', `openclaw-image-${VERSION}`);
const changes = readFileSync(join(dir, 'changes.txt'), 'utf8').split('\n').filter(Boolean);
r.host.dockerImport(join(dir, 'rootfs.tar'), `ghcr.io/openclaw/openclaw:${VERSION}`, changes);
const two = await runCli(r);
console.log('phase2', two.code, two.stdout.slice(-3000), two.stderr);
process.exit(0);
