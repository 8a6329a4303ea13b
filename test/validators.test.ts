import { chmodSync, cpSync, existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import JSON5 from 'json5';
import { afterAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { serverPaths } from '../src/plan/paths.js';
import { renderBackupScript } from '../templates/backup.js';
import { memoryLimitMiB } from '../templates/compose.js';
import { CONTAINER_UID } from '../templates/gateway-shared.js';
import { openclawConfigMirror } from './openclaw-schema-mirror.js';
import { TEST_OPERATOR_IP, VARIANTS, loadAnswers, renderVariant, type RenderedFile, type Variant } from './template-variants.js';
import { needTool, run, sshdLauncher, tempDir } from './tool-runner.js';

// A real validator beside every snapshot (templates.test.ts), so a golden file
// can never freeze broken output. Needs (Debian/Ubuntu):
//   apt-get install -y openssh-server shellcheck systemd caddy fail2ban python3-systemd
// With CI=true a missing tool fails the test with that hint; locally it skips.
// Nothing here touches the host: every tool reads copies in a temp directory.

const tmp = tempDir('validators');
afterAll(() => tmp.cleanup());

const rendered = Object.fromEntries(VARIANTS.map((v) => [v, renderVariant(v)])) as Record<Variant, RenderedFile[]>;
const filesOf = (kind: RenderedFile['kind']) =>
  VARIANTS.flatMap((v) => rendered[v].filter((f) => f.kind === kind).map((f) => [`${v}/${f.name}`, v, f] as const));
const file = (v: Variant, name: string) => {
  const f = rendered[v].find((x) => x.name === name);
  if (!f) throw new Error(`${v} renders no ${name}`);
  return f;
};
function writeTemp(rel: string, text: string): string {
  const p = join(tmp.dir, rel);
  mkdirSync(dirname(p), { recursive: true });
  writeFileSync(p, text);
  return p;
}

// ---------------------------------------------------------------------------------------------
describe('sshd drop-in: sshd -t and sshd -T against a stock config with cloud-init', () => {
  // The stock Debian/Ubuntu sshd_config includes sshd_config.d/*.conf on its first line and
  // then sets X11Forwarding yes; cloud images add 50-cloud-init.conf with PasswordAuthentication
  // yes. Our 00- drop-in must win all of those (sshd keeps the first value it reads).
  function setup(v: Variant, dropInName: string) {
    const dir = join(tmp.dir, 'sshd', v, dropInName);
    mkdirSync(join(dir, 'sshd_config.d'), { recursive: true });
    const stockPath = existsSync('/usr/share/openssh/sshd_config') ? '/usr/share/openssh/sshd_config' : '/etc/ssh/sshd_config';
    const stock = readFileSync(stockPath, 'utf8');
    expect(stock, `${stockPath} should be the distro's stock file`).toMatch(/^Include \/etc\/ssh\/sshd_config\.d\/\*\.conf$/m);
    const config = stock.replace(/^Include \/etc\/ssh\/sshd_config\.d\/\*\.conf$/m, `Include ${dir}/sshd_config.d/*.conf`);
    const hostKey = join(dir, 'ssh_host_ed25519_key');
    const keygen = run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', hostKey]);
    expect(keygen.status, keygen.stderr).toBe(0);
    writeFileSync(join(dir, 'sshd_config'), `${config}\nHostKey ${hostKey}\n`);
    writeFileSync(join(dir, 'sshd_config.d', dropInName), file(v, '00-claw-setup.conf').text);
    writeFileSync(join(dir, 'sshd_config.d', '50-cloud-init.conf'), 'PasswordAuthentication yes\n');
    return join(dir, 'sshd_config');
  }
  function effective(sshd: string, config: string, user: string): Record<string, string> {
    const [cmd, prefix] = sshdLauncher(sshd);
    const t = run(cmd, [...prefix, '-t', '-f', config]);
    expect(t.status, `sshd -t: ${t.stderr}`).toBe(0);
    const T = run(cmd, [...prefix, '-T', '-f', config, '-C', `user=${user},host=x,addr=203.0.113.9`]);
    expect(T.status, `sshd -T: ${T.stderr}`).toBe(0);
    return Object.fromEntries(
      T.stdout
        .split('\n')
        .filter(Boolean)
        .map((l) => [l.slice(0, l.indexOf(' ')), l.slice(l.indexOf(' ') + 1)]),
    );
  }

  it.for(VARIANTS)('%s', (v, ctx) => {
    const sshd = needTool(ctx, 'sshd', 'openssh-server');
    const a = loadAnswers(v);
    const eff = effective(sshd, setup(v, '00-claw-setup.conf'), a.deployUser.name);
    expect(eff).toMatchObject({
      port: String(a.ssh.port),
      passwordauthentication: 'no',
      kbdinteractiveauthentication: 'no',
      permitrootlogin: 'no',
      pubkeyauthentication: 'yes',
      authenticationmethods: 'publickey',
      permitemptypasswords: 'no',
      allowusers: a.deployUser.name,
      maxauthtries: String(a.ssh.maxAuthTries),
      x11forwarding: 'no',
      allowagentforwarding: 'no',
      allowtcpforwarding: a.ssh.allowTcpForwarding,
      allowstreamlocalforwarding: 'no',
      permittunnel: 'no',
      usepam: 'yes',
      clientaliveinterval: '300',
      clientalivecountmax: '2',
    });
  });

  it('control: the same drop-in sorted after 50-cloud-init.conf loses, so the ordering check is real', (ctx) => {
    const sshd = needTool(ctx, 'sshd', 'openssh-server');
    const eff = effective(sshd, setup('minimal', '60-claw-setup.conf'), 'deploy');
    expect(eff.passwordauthentication).toBe('yes');
  });
});

// ---------------------------------------------------------------------------------------------
describe('scripts: shellcheck', () => {
  it.for(filesOf('script'))('%s', ([rel, , f], ctx) => {
    const shellcheck = needTool(ctx, 'shellcheck', 'shellcheck');
    const path = writeTemp(`scripts/${rel}`, f.text);
    const r = run(shellcheck, ['--severity=style', '--format=gcc', path]);
    expect(r.stdout + r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(f.text.startsWith('#!/')).toBe(true);
  });
});

// ---------------------------------------------------------------------------------------------
describe('backup script: never changes the mode of a directory it did not create', () => {
  // The backup directory could be a shared one (a mount point, a parent the operator made):
  // making an existing directory root-only is how a backup job locks every other login out.
  // The script runs for real under bash, with only its src= and dest= lines pointed into a temp tree.
  const root = join(tmp.dir, 'backup-mode');
  const src = join(root, 'home', 'deploy', 'openclaw');
  mkdirSync(join(src, 'config'), { recursive: true });
  writeFileSync(join(src, 'docker-compose.yml'), 'services: {}\n');
  writeFileSync(join(src, 'config', 'openclaw.json'), '{}\n');
  function scriptFor(dest: string, name: string): string {
    const text = renderBackupScript(loadAnswers('full'))
      .replace(/^src=.*$/m, `src=${src.replace(/^\/+/, '')}`)
      .replace(/^dest=.*$/m, `dest=${dest}`);
    return writeTemp(`backup-mode/${name}`, text);
  }

  it.for(filesOf('script').filter(([rel]) => rel.endsWith('/openclaw-backup.sh')))('%s has no chmod and creates only a missing directory', ([, , f]) => {
    expect(f.text).not.toMatch(/\bchmod\b/);
    expect(f.text).not.toMatch(/\bmkdir\b/);
    expect(f.text).toContain('[ -d "$dest" ] || install -d -m 0700 "$dest"\n');
  });

  it('an existing directory (mode 755) keeps its mode; the archive itself is 600', () => {
    const dest = join(root, 'shared');
    mkdirSync(dest, { recursive: true });
    chmodSync(dest, 0o755);
    const r = run('bash', [scriptFor(dest, 'existing.sh')]);
    expect(r.status, r.stderr).toBe(0);
    expect(statSync(dest).mode & 0o777).toBe(0o755);
    const archives = readdirSync(dest).filter((n) => n.endsWith('.tar.gz'));
    expect(archives).toHaveLength(1);
    expect(statSync(join(dest, archives[0])).mode & 0o777).toBe(0o600);
  });

  it('a missing directory is created root-only (700), missing parents included', () => {
    const dest = join(root, 'new', 'backups', 'openclaw');
    const r = run('bash', [scriptFor(dest, 'missing.sh')]);
    expect(r.status, r.stderr).toBe(0);
    expect(statSync(dest).mode & 0o777).toBe(0o700);
    expect(readdirSync(dest).some((n) => n.endsWith('.tar.gz'))).toBe(true);
  });

  it('a file where the directory should be fails the run and is left alone', () => {
    const dest = join(root, 'not-a-dir');
    writeFileSync(dest, 'x');
    chmodSync(dest, 0o644);
    const r = run('bash', [scriptFor(dest, 'file.sh')]);
    expect(r.status).not.toBe(0);
    expect(statSync(dest).mode & 0o777).toBe(0o644);
    expect(readFileSync(dest, 'utf8')).toBe('x');
  });
});

// ---------------------------------------------------------------------------------------------
describe('systemd units: systemd-analyze verify', () => {
  // `systemd-analyze verify` works without a running systemd, but refuses a unit whose
  // ExecStart binary does not exist. So each variant gets a throwaway root (--root):
  // a copy of the host's /lib/systemd/system (targets like sysinit.target), our units at
  // their real /etc/systemd/system paths, and an executable stub at every Exec* path.
  // Its exit status ignores unknown keys and bad values ("…, ignoring"), so stderr must
  // be empty too.
  function verifyRoot(v: Variant): { root: string; units: string[] } {
    const root = join(tmp.dir, 'systemd-root', v);
    mkdirSync(join(root, 'etc/systemd/system'), { recursive: true });
    cpSync('/lib/systemd/system', join(root, 'lib/systemd/system'), { recursive: true, verbatimSymlinks: true });
    const units = rendered[v].filter((f) => f.kind === 'unit');
    for (const u of units) {
      writeFileSync(join(root, 'etc/systemd/system', u.name), u.text);
      for (const m of u.text.matchAll(/^Exec\w*=[-@:+!]*(\/\S+)/gm)) {
        const stub = join(root, m[1]);
        mkdirSync(dirname(stub), { recursive: true });
        writeFileSync(stub, '#!/bin/sh\nexit 0\n');
        chmodSync(stub, 0o755);
      }
    }
    return { root, units: units.map((u) => u.name) };
  }

  it.for(VARIANTS.filter((v) => rendered[v].some((f) => f.kind === 'unit')))('%s', (v, ctx) => {
    const analyze = needTool(ctx, 'systemd-analyze', 'systemd');
    const { root, units } = verifyRoot(v);
    const r = run(analyze, ['verify', '--man=no', `--root=${root}`, ...units]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });

  it('control: a misspelled key is reported on stderr', (ctx) => {
    const analyze = needTool(ctx, 'systemd-analyze', 'systemd');
    const dir = join(tmp.dir, 'systemd-control');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'x-claw.service'), '[Service]\nType=oneshot\nExecStart=/bin/true\nProtectSystm=strict\n');
    const r = run(analyze, ['verify', '--man=no', join(dir, 'x-claw.service')]);
    expect(r.stderr).toContain("Unknown key 'ProtectSystm'");
  });

  it.for(filesOf('unit').filter(([rel]) => rel.endsWith('.timer')))('%s schedule parses', ([, , f], ctx) => {
    const analyze = needTool(ctx, 'systemd-analyze', 'systemd');
    for (const [, key, value] of f.text.matchAll(/^(OnCalendar|OnBootSec|OnUnitActiveSec|RandomizedDelaySec|AccuracySec)=(.+)$/gm)) {
      const r = run(analyze, key === 'OnCalendar' ? ['calendar', value] : ['timespan', value]);
      expect(r.status, `${key}=${value}: ${r.stderr}`).toBe(0);
    }
  });
});

// ---------------------------------------------------------------------------------------------
describe('docker-compose.yml: parse back and check the safety properties', () => {
  it.each(filesOf('compose'))('%s', (_rel, v, f) => {
    const a = loadAnswers(v);
    const doc = parseYaml(f.text) as { services: Record<string, Record<string, unknown>>; networks: Record<string, unknown> };
    const services = Object.values(doc.services);
    expect(services).toHaveLength(1);
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- parsed YAML
    const s = doc.services['openclaw-gateway'] as Record<string, any>;
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- parsed YAML
    for (const svc of services as Record<string, any>[]) {
      for (const p of svc.ports ?? []) expect(String(p)).toMatch(/^127\.0\.0\.1:\d+:\d+$/);
      for (const vol of svc.volumes ?? []) expect(JSON.stringify(vol)).not.toMatch(/docker\.sock/);
      expect(svc.privileged).toBeUndefined();
      expect(svc.network_mode).toBeUndefined();
    }
    expect(f.text).not.toContain('docker.sock"');
    expect(s.ports).toEqual([`127.0.0.1:${a.openclaw.gatewayPort}:18789`, `127.0.0.1:${a.openclaw.bridgePort}:18790`]);
    expect(s.cap_drop).toContain('ALL');
    expect(s.security_opt).toContain('no-new-privileges:true');
    expect(s.user).toBe(`${CONTAINER_UID}:${CONTAINER_UID}`);
    expect(s.read_only).toBe(true);
    expect(s.image).toBe(`${a.openclaw.image}:${a.openclaw.version}`);
    expect(String(s.image).split(':').pop()).toBe(a.openclaw.version);
    expect(s.command).toEqual(['node', 'dist/index.js', 'gateway', '--bind', 'lan', '--port', '18789']);
    const heap = Number(/--max-old-space-size=(\d+)/.exec(s.environment.NODE_OPTIONS)?.[1]);
    const limit = memoryLimitMiB(s.mem_limit);
    expect(heap).toBeGreaterThan(limit / 2);
    expect(heap).toBeLessThan(limit);
    expect(s.pids_limit).toBe(a.openclaw.pidsLimit);
    expect(s.logging).toEqual({ driver: 'json-file', options: { 'max-size': '10m', 'max-file': '3' } });
    expect(s.healthcheck.test.join(' ')).toContain('http://127.0.0.1:18789/healthz');
    expect(s.env_file).toEqual(['.env']);
    // Compose interpolates "$" in every string; nothing we render may contain one.
    expect(f.text).not.toContain('$');
    expect(doc.networks).toEqual({
      openclaw: {
        driver: 'bridge',
        driver_opts: { 'com.docker.network.bridge.name': 'br-openclaw' },
        ipam: { config: [{ subnet: '172.31.240.0/24', gateway: '172.31.240.1' }] },
      },
    });
  });
});

// ---------------------------------------------------------------------------------------------
describe('openclaw.json: JSON5 parse back and the strict schema mirror', () => {
  const SECRET_KEYS = /^(token|botToken|appToken|password|signingSecret|webhookSecret|userToken|apiKey)$/;
  function walk(value: unknown, path: string, visit: (path: string, key: string, v: unknown) => void, key = ''): void {
    visit(path, key, value);
    if (Array.isArray(value)) value.forEach((x, i) => walk(x, `${path}[${i}]`, visit));
    else if (value && typeof value === 'object') for (const [k, x] of Object.entries(value)) walk(x, path ? `${path}.${k}` : k, visit, k);
  }

  it.each(filesOf('openclaw-json'))('%s', (_rel, v, f) => {
    const config = JSON5.parse(f.text);
    const r = openclawConfigMirror.safeParse(config);
    expect(r.success ? [] : r.error.issues).toEqual([]);
    const a = loadAnswers(v);
    expect(config.gateway.bind).toBe('lan');
    expect(config.gateway.auth.mode).toBe('token');
    expect(config.gateway.controlUi.allowedOrigins.length).toBeGreaterThan(0);
    expect(config.tools.deny).toEqual(a.openclaw.tools.deny);
    walk(config, '', (path, key, value) => {
      if (SECRET_KEYS.test(key)) {
        expect(value, `${path} must be an env SecretRef`).toEqual({ source: 'env', provider: 'default', id: expect.stringMatching(/^[A-Z][A-Z0-9_]*$/) });
      }
      if (typeof value === 'string') {
        expect(value, path).not.toMatch(/<secret:|SENTINEL|^sk-|^xox[abp]-|^xapp-|^tskey-|^[0-9a-f]{32,}$|\$\{/);
      }
    });
  });

  const minimal = () => JSON5.parse(file('minimal', 'openclaw.json').text);
  it('the mirror rejects controlUi.allowInsecureAuth (removed in 2026.9.6)', () => {
    const c = minimal();
    c.gateway.controlUi.allowInsecureAuth = true;
    expect(openclawConfigMirror.safeParse(c).success).toBe(false);
  });
  it.each(['0.0.0.0', 'localhost', 'everywhere'])('the mirror rejects bind "%s"', (bind) => {
    const c = minimal();
    c.gateway.bind = bind;
    expect(openclawConfigMirror.safeParse(c).success).toBe(false);
  });
  it('the mirror rejects bind "custom" without customBindHost and an unknown channel', () => {
    const c = minimal();
    c.gateway.bind = 'custom';
    expect(openclawConfigMirror.safeParse(c).success).toBe(false);
    const d = minimal();
    d.channels = { notachannel: { enabled: true } };
    expect(openclawConfigMirror.safeParse(d).success).toBe(false);
  });
  it('the mirror rejects unknown keys at depth and a plaintext-shaped SecretRef', () => {
    const c = JSON5.parse(file('channels', 'openclaw.json').text);
    c.channels.slack.channels.C0123ABCDEF.bogus = 1;
    expect(openclawConfigMirror.safeParse(c).success).toBe(false);
    const d = JSON5.parse(file('channels', 'openclaw.json').text);
    d.channels.telegram.botToken = { source: 'env', provider: 'default', id: 'lower_case' };
    expect(openclawConfigMirror.safeParse(d).success).toBe(false);
  });
});

// ---------------------------------------------------------------------------------------------
describe('Caddyfile: caddy validate', () => {
  it.for(filesOf('caddyfile'))('%s', ([rel, , f], ctx) => {
    const caddy = needTool(ctx, 'caddy', 'caddy');
    const path = writeTemp(`caddy/${rel}`, f.text);
    // Keep caddy's storage and autosave in the temp dir.
    const env = { ...process.env, HOME: tmp.dir, XDG_DATA_HOME: join(tmp.dir, 'xdg-data'), XDG_CONFIG_HOME: join(tmp.dir, 'xdg-config') };
    const r = run(caddy, ['validate', '--adapter', 'caddyfile', '--config', path], { env });
    expect(r.status, r.stderr).toBe(0);
    const fmt = run(caddy, ['fmt', path], { env });
    expect(fmt.stdout, 'the Caddyfile is in caddy fmt form').toBe(f.text);
  });
});

// ---------------------------------------------------------------------------------------------
describe('fail2ban jail: fail2ban-client -t and the effective settings', () => {
  it.for(filesOf('fail2ban'))('%s', ([rel, v, f], ctx) => {
    const client = needTool(ctx, 'fail2ban-client', 'fail2ban python3-systemd');
    const a = loadAnswers(v);
    const conf = join(tmp.dir, 'fail2ban', rel);
    cpSync('/etc/fail2ban', conf, { recursive: true, dereference: true });
    writeFileSync(join(conf, 'jail.d', 'claw-setup.local'), f.text);
    const t = run(client, ['-c', conf, '-t']);
    expect(t.status, t.stderr + t.stdout).toBe(0);
    const d = run(client, ['-c', conf, '-d']);
    expect(d.status, d.stderr).toBe(0);
    const out = d.stdout;
    expect(out).toContain("['add', 'sshd', 'systemd']");
    expect(out).toContain(`['set', 'sshd', 'maxretry', ${a.fail2ban.maxRetry}]`);
    expect(out).toContain(`['set', 'sshd', 'bantime', '${a.fail2ban.banTime}']`);
    expect(out).toContain(`['set', 'sshd', 'findtime', '${a.fail2ban.findTime}']`);
    expect(out).toContain(`['port', '${a.ssh.port}']`);
    const ignore = /\['set', 'sshd', 'addignoreip', ([^\]]*)\]/.exec(out)?.[1] ?? '';
    expect(ignore).toContain(`'${a.operatorIp === 'auto' ? TEST_OPERATOR_IP : a.operatorIp}'`);
    expect(ignore.includes("'100.64.0.0/10'")).toBe(a.tailscale.enabled);
  });
});

// ---------------------------------------------------------------------------------------------
describe('apt: apt-config parses the conf files, apt-get reads the deb822 sources', () => {
  it.for(filesOf('apt-conf'))('%s', ([rel, v, f], ctx) => {
    const aptConfig = needTool(ctx, 'apt-config', 'apt');
    const a = loadAnswers(v);
    const path = writeTemp(`apt/${rel}`, f.text);
    const r = run(aptConfig, ['-c', path, 'dump']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
    if (rel.endsWith('20auto-upgrades')) {
      expect(r.stdout).toContain('APT::Periodic::Unattended-Upgrade "1";');
      expect(r.stdout).toContain('APT::Periodic::Update-Package-Lists "1";');
    } else {
      expect(r.stdout).toContain('Unattended-Upgrade::Origins-Pattern:: "origin=Docker,label=Docker CE";');
      expect(r.stdout).toContain(`Unattended-Upgrade::Automatic-Reboot "${a.updates.autoReboot}";`);
      expect(r.stdout.includes('"origin=Tailscale,label=Tailscale"')).toBe(a.tailscale.enabled);
    }
  });

  it.for(VARIANTS)('%s sources', (v, ctx) => {
    const aptGet = needTool(ctx, 'apt-get', 'apt');
    const dir = join(tmp.dir, 'apt-sources', v);
    mkdirSync(join(dir, 'parts'), { recursive: true });
    mkdirSync(join(dir, 'lists', 'partial'), { recursive: true });
    const sources = rendered[v].filter((f) => f.kind === 'apt-source');
    for (const s of sources) writeFileSync(join(dir, 'parts', s.name), s.text);
    const opts = [
      '-o',
      'Dir::Etc::SourceList=/dev/null',
      '-o',
      `Dir::Etc::SourceParts=${dir}/parts`,
      '-o',
      `Dir::State::Lists=${dir}/lists`,
      '-o',
      'Debug::NoLocking=1',
    ];
    const r = run(aptGet, [...opts, 'update', '--print-uris']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).not.toMatch(/^[EW]:/m);
    for (const s of sources) {
      const uri = /^URIs: (\S+)$/m.exec(s.text)![1];
      const suite = /^Suites: (\S+)$/m.exec(s.text)![1];
      expect(r.stdout).toContain(`'${uri}/dists/${suite}/InRelease'`);
    }
  });
});

// ---------------------------------------------------------------------------------------------
describe('daemon.json and env files parse back', () => {
  it.each(filesOf('json'))('%s', (_rel, _v, f) => {
    expect(JSON.parse(f.text)).toEqual({
      'log-driver': 'json-file',
      'log-opts': { 'max-size': '10m', 'max-file': '3' },
      'live-restore': true,
      'no-new-privileges': true,
      icc: false,
    });
  });

  it.each(filesOf('env'))('%s', (rel, v, f) => {
    const keys: string[] = [];
    for (const line of f.text.split('\n')) {
      if (line === '' || line.startsWith('#')) continue;
      // One KEY=value per line that compose's dotenv and systemd's EnvironmentFile= read alike.
      const m = /^([A-Z][A-Z0-9_]*)=('[^'\n]*'|[A-Za-z0-9_./:-]*)$/.exec(line);
      expect(m, `bad line in ${rel}: ${line}`).not.toBeNull();
      keys.push(m![1]);
    }
    expect(new Set(keys).size).toBe(keys.length);
    if (rel.endsWith('/env')) {
      expect(keys[0]).toBe('OPENCLAW_GATEWAY_TOKEN');
      // Every SecretRef in openclaw.json names a variable the .env provides.
      const refs = [...file(v, 'openclaw.json').text.matchAll(/"id": "([A-Z0-9_]+)"/g)].map((m) => m[1]);
      for (const id of refs) expect(keys).toContain(id);
    }
  });

  it('paths used in the units match serverPaths', () => {
    const p = serverPaths(loadAnswers('full'));
    expect(file('full', 'openclaw-backup.service').text).toContain(`ExecStart=${p.backupScript}\n`);
    expect(file('full', 'openclaw-health.service').text).toContain(`ExecStart=${p.healthScript}\n`);
    expect(file('full', 'openclaw-health.service').text).toContain(`EnvironmentFile=-${p.monitoringEnv}\n`);
  });
});
