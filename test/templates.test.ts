import { chmodSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { secretsFor } from '../src/answers/secrets.js';
import { answersSchema } from '../src/answers/schema.js';
import { Secret, redactText, revealText, secretsIn } from '../src/core/secret.js';
import { filterModuli } from '../steps/ssh.js';
import { renderAptSource } from '../templates/apt-source.js';
import { renderBackupScript } from '../templates/backup.js';
import { renderCaddyfile } from '../templates/caddyfile.js';
import { memoryLimitMiB, nodeHeapMiB, renderCompose } from '../templates/compose.js';
import { renderEnvFile } from '../templates/env-file.js';
import { renderFail2banJail } from '../templates/fail2ban-jail.js';
import { renderHealthScript, renderHealthService, renderMonitoringEnv } from '../templates/health.js';
import { allowedOrigins, openclawConfig, renderOpenclawJson } from '../templates/openclaw-json.js';
import { SSHD_REMOVED_ALGORITHMS, renderSshdDropIn } from '../templates/sshd-drop-in.js';
import { VARIANTS, loadAnswers, loadSecrets, renderVariant } from './template-variants.js';
import { needTool, run, sshdLauncher, tempDir } from './tool-runner.js';

// Golden copies of every generated file, per answers variant, under
// snapshots/<variant>/<name with its real extension>. Beside them,
// test/templates/*.test.ts run a real validator on each, so a snapshot can never
// freeze broken output. Update with `npx vitest run test/templates.test.ts -u`
// and read the diff.

describe.each(VARIANTS)('snapshots: %s', (variant) => {
  const files = renderVariant(variant);
  it.each(files.map((f) => [f.name, f] as const))('%s', async (_name, f) => {
    await expect(f.text).toMatchFileSnapshot(`../snapshots/${variant}/${f.name}`);
  });
});

const SENTINEL = 'SENTINEL-7c1e9f-do-not-leak';

describe('secrets', () => {
  const a = loadAnswers('full');
  const env = Object.fromEntries(
    ['CLAW_SUDO_PASSWORD', 'TS_AUTHKEY', 'ANTHROPIC_API_KEY', 'TELEGRAM_BOT_TOKEN', 'CLAW_DISCORD_WEBHOOK'].map((k) => [k, `${SENTINEL}-${k}`]),
  );
  const s = secretsFor(a, env, { OPENAI_API_KEY: Secret.of('OPENAI_API_KEY', `${SENTINEL}-openai`) });

  it('the .env holds every gateway secret as a Secret, and nothing else secret', () => {
    const text = renderEnvFile(a, s);
    expect(secretsIn(text).map((x) => x.name)).toEqual(['OPENCLAW_GATEWAY_TOKEN', 'ANTHROPIC_API_KEY', 'OPENAI_API_KEY', 'TELEGRAM_BOT_TOKEN']);
    expect(redactText(text)).not.toContain(SENTINEL);
    expect(revealText(text)).toContain(`ANTHROPIC_API_KEY='${SENTINEL}-ANTHROPIC_API_KEY'\n`);
    expect(revealText(text)).toContain(`TELEGRAM_BOT_TOKEN='${SENTINEL}-TELEGRAM_BOT_TOKEN'\n`);
    expect(revealText(text)).not.toContain('TS_AUTHKEY');
    expect(revealText(text)).not.toContain('CLAW_SUDO_PASSWORD');
  });

  it('the monitoring env holds the ntfy topic and the webhook as Secrets', () => {
    const text = renderMonitoringEnv(a, s);
    expect(secretsIn(text).map((x) => x.name)).toEqual(['NTFY_TOPIC', 'DISCORD_WEBHOOK_URL']);
    expect(redactText(text)).not.toContain(SENTINEL);
    expect(revealText(text)).toContain(`DISCORD_WEBHOOK_URL='${SENTINEL}-CLAW_DISCORD_WEBHOOK'`);
  });

  it('no plain-string file contains a secret value', () => {
    const plain = [renderCompose(a), renderOpenclawJson(a), renderHealthScript(a), renderBackupScript(a), renderHealthService(a)].join('\n');
    expect(plain).not.toContain(SENTINEL);
    expect(plain).not.toContain('<secret:');
  });
});

describe('openclaw.json', () => {
  it('is JSON with a trailing newline and the data openclawConfig returns', () => {
    const a = loadAnswers('channels');
    const text = renderOpenclawJson(a);
    expect(text.endsWith('}\n')).toBe(true);
    expect(JSON.parse(text)).toEqual(openclawConfig(a));
  });

  it('allowed origins follow the access mode', () => {
    expect(allowedOrigins(loadAnswers('minimal'))).toEqual(['http://localhost:18789', 'http://127.0.0.1:18789']);
    expect(allowedOrigins(loadAnswers('tailscale-only-ssh'))).toContain('https://openclaw-vps.tail1234.ts.net');
    expect(allowedOrigins(loadAnswers('caddy'))).toEqual(['http://localhost:28789', 'http://127.0.0.1:28789', 'https://claw.example.com']);
  });

  it('groups stay closed when no user is allowlisted', () => {
    const a = answersSchema.parse({
      openclaw: {
        channels: [
          { type: 'telegram', dmPolicy: 'pairing' },
          { type: 'whatsapp', dmPolicy: 'pairing' },
        ],
      },
    });
    const c = openclawConfig(a) as { channels: Record<string, Record<string, unknown>> };
    for (const ch of ['telegram', 'whatsapp']) {
      expect(c.channels[ch].groupPolicy).toBe('allowlist');
      expect(c.channels[ch]).not.toHaveProperty('groups');
      expect(c.channels[ch]).not.toHaveProperty('groupAllowFrom');
    }
  });

  it('exec policy is pinned to deny only when exec is denied', () => {
    const cfg = (deny: string[]) => openclawConfig(answersSchema.parse({ openclaw: { tools: { deny } } })) as { tools: Record<string, unknown> };
    expect(cfg(['exec']).tools.exec).toEqual({ security: 'deny', ask: 'always' });
    expect(cfg(['group:runtime']).tools.exec).toEqual({ security: 'deny', ask: 'always' });
    expect(cfg(['gateway']).tools).not.toHaveProperty('exec');
  });

  it('sandbox "off" emits only the mode', () => {
    const a = answersSchema.parse({ openclaw: { sandbox: { mode: 'off' } } });
    expect((openclawConfig(a) as { agents: unknown }).agents).toEqual({ defaults: { sandbox: { mode: 'off' } } });
  });
});

describe('compose', () => {
  it('gives Node about 75% of the container memory', () => {
    expect(memoryLimitMiB('2g')).toBe(2048);
    expect(nodeHeapMiB('2g')).toBe(1536);
    expect(nodeHeapMiB('1536m')).toBe(1152);
    expect(() => memoryLimitMiB('2G')).toThrow(/memory limit/);
  });

  it('warns in the header when exec is allowed', () => {
    expect(renderCompose(loadAnswers('caddy'))).toContain('WARNING: these\n#   answers allow the exec tool');
    expect(renderCompose(loadAnswers('minimal'))).not.toContain('WARNING');
  });
});

describe('guards', () => {
  it('renderCaddyfile refuses other access modes', () => {
    expect(() => renderCaddyfile(loadAnswers('minimal'))).toThrow(/access.mode "caddy"/);
  });

  it('renderFail2banJail refuses anything but an IP or CIDR', () => {
    const a = loadAnswers('minimal');
    for (const bad of ['', 'auto', '1.2.3.4\n[sshd]', '203.0.113.0/33', 'example.com']) {
      expect(() => renderFail2banJail(a, bad)).toThrow(/operator's IP/);
    }
    expect(renderFail2banJail(a, '2001:db8::/48')).toContain('ignoreip = 127.0.0.1/8 ::1 2001:db8::/48\n');
  });

  it('renderAptSource refuses multi-line fields', () => {
    expect(() => renderAptSource({ name: 'x', uris: 'https://a\nSigned-By: /evil', suites: 's', components: 'main', signedBy: '/k' })).toThrow(/one line/);
  });
});

describe('lazy secrets', () => {
  it('rendering never reads a secret', () => {
    const a = loadAnswers('full');
    // No environment at all: revealing would throw, redacting must not.
    expect(() => redactText(renderEnvFile(a, loadSecrets(a)))).not.toThrow();
  });
});

describe('sshd drop-in: weak algorithms removed, none pinned', () => {
  const tmp = tempDir('sshd-crypto');
  afterAll(() => tmp.cleanup());
  const removed = (kw: string) => SSHD_REMOVED_ALGORITHMS.find((r) => r.keyword === kw)!.names;

  it('each list is a "-" list (removal from the defaults), never a pinned list', () => {
    const text = renderSshdDropIn(loadAnswers('minimal'));
    for (const { keyword, names } of SSHD_REMOVED_ALGORITHMS) {
      const line = text.split('\n').find((l) => l.startsWith(`${keyword} `))!;
      expect(line.split(/\s+/)[1]).toBe(`-${names.join(',')}`);
    }
  });

  // OpenSSH never checks the names in a "-" list: a typo would silently remove nothing.
  // So every name must be one this OpenSSH knows (all of them exist in 8.9 to 10.x too).
  it('every removed name is a real algorithm name (ssh -Q)', (ctx) => {
    const ssh = needTool(ctx, 'ssh', 'openssh-client');
    const known = (q: string) => new Set(run(ssh, ['-Q', q]).stdout.split('\n'));
    const lists = { KexAlgorithms: known('kex'), HostKeyAlgorithms: known('HostKeyAlgorithms'), MACs: known('mac') };
    for (const { keyword, names } of SSHD_REMOVED_ALGORITHMS) for (const n of names) expect(lists[keyword].has(n), `${keyword} ${n}`).toBe(true);
  });

  /** sshd -t and sshd -T on the drop-in plus `extra` lines and a host key (no /etc/ssh involved). */
  function sshdOn(ctx: Parameters<typeof needTool>[0], extra: string) {
    const sshd = needTool(ctx, 'sshd', 'openssh-server');
    const key = join(tmp.dir, 'host_ed25519');
    if (run('sh', ['-c', `[ -f ${key} ] || ssh-keygen -q -t ed25519 -N '' -f ${key}`]).status !== 0) throw new Error('ssh-keygen failed');
    const conf = join(tmp.dir, `sshd_config-${Math.random().toString(36).slice(2)}`);
    writeFileSync(conf, `${renderSshdDropIn(loadAnswers('minimal'))}${extra}HostKey ${key}\n`);
    const [cmd, prefix] = sshdLauncher(sshd);
    return {
      check: run(cmd, [...prefix, '-t', '-f', conf]),
      dump: () => run(cmd, [...prefix, '-T', '-f', conf, '-C', 'user=deploy,host=x,addr=203.0.113.9']),
    };
  }

  function effective(ctx: Parameters<typeof needTool>[0], extra: string): Record<string, string> {
    const { check, dump } = sshdOn(ctx, extra);
    expect(check.status, `sshd -t: ${check.stderr}`).toBe(0);
    const T = dump();
    expect(T.status, `sshd -T: ${T.stderr}`).toBe(0);
    return Object.fromEntries(
      T.stdout
        .split('\n')
        .filter(Boolean)
        .map((l) => [l.slice(0, l.indexOf(' ')), l.slice(l.indexOf(' ') + 1)]),
    );
  }

  it('sshd -t accepts it, and sshd -T offers none of the removed names but keeps strong ones', (ctx) => {
    const eff = effective(ctx, '');
    const kex = eff.kexalgorithms.split(',');
    const keys = eff.hostkeyalgorithms.split(',');
    const macs = eff.macs.split(',');
    for (const n of removed('KexAlgorithms')) expect(kex).not.toContain(n);
    for (const n of removed('HostKeyAlgorithms')) expect(keys).not.toContain(n);
    for (const n of removed('MACs')) expect(macs).not.toContain(n);
    expect(kex.filter((k) => /ecdh-sha2-nistp|group14/.test(k))).toEqual([]);
    expect(keys.filter((k) => /ecdsa/.test(k))).toEqual([]);
    expect(kex).toEqual(expect.arrayContaining(['curve25519-sha256', 'sntrup761x25519-sha512@openssh.com', 'diffie-hellman-group16-sha512']));
    expect(keys).toEqual(expect.arrayContaining(['ssh-ed25519', 'rsa-sha2-512', 'rsa-sha2-256']));
    expect(macs).toEqual(['umac-128-etm@openssh.com', 'hmac-sha2-256-etm@openssh.com', 'hmac-sha2-512-etm@openssh.com']);
    // Ciphers are not touched: OpenSSH's own default list.
    expect(eff.ciphers).toContain('chacha20-poly1305@openssh.com');
  });

  it('control: sshd ignores an unknown name in a "-" list (so a name a version lacks cannot break it)', (ctx) => {
    // A later KexAlgorithms line does not override the drop-in's (first value wins); this checks only that it parses.
    const eff = effective(ctx, 'KexAlgorithms -no-such-kex@example.com\nMACs -no-such-mac@example.com\n');
    expect(eff.macs).toBe('umac-128-etm@openssh.com,hmac-sha2-256-etm@openssh.com,hmac-sha2-512-etm@openssh.com');
    // ...whereas in a pinned list the same unknown name is fatal.
    const pinned = sshdOn(ctx, 'KexAlgorithms curve25519-sha256,no-such-kex@example.com\n').check;
    expect(pinned.status).not.toBe(0);
    expect(pinned.stderr).toMatch(/Bad SSH2 KexAlgorithms/);
  });
});

describe('ssh step: /etc/ssh/moduli keeps only moduli of 3072 bits or more', () => {
  const tmp = tempDir('moduli');
  afterAll(() => tmp.cleanup());
  // Real lines are "time type tests tries size generator modulus", size = bits - 1.
  const line = (size: number, g = 2) => `20220714110357 2 6 100 ${size} ${g} ${'F'.repeat(Math.ceil((size + 1) / 4))}`;
  const header = '# Time Type Tests Tries Size Generator Modulus';
  const sample = [header, line(2047), line(2047, 5), line(3071), line(4095, 5), line(8191), ''].join('\n');
  /** The plan's own argv and skipIf, pointed at a copy (the path is their last argument). */
  const act = (path: string) => filterModuli(path);
  const skips = (path: string) => run(act(path).skipIf![0], act(path).skipIf!.slice(1)).status === 0;
  const apply = (path: string) => run(act(path).argv[0], act(path).argv.slice(1));
  const file = (name: string, text: string) => {
    const p = join(tmp.dir, name);
    writeFileSync(p, text);
    chmodSync(p, 0o644);
    return p;
  };

  it('drops the small moduli, keeps comments, mode and the big ones; then skips', () => {
    const p = file('moduli', sample);
    expect(skips(p)).toBe(false);
    const r = apply(p);
    expect(r.status, r.stderr).toBe(0);
    expect(readFileSync(p, 'utf8')).toBe([header, line(3071), line(4095, 5), line(8191), ''].join('\n'));
    expect(statSync(p).mode & 0o777).toBe(0o644);
    expect(skips(p)).toBe(true);
    // Run anyway (a rerun without the probe): nothing changes, no temp file is left behind.
    expect(apply(p).status).toBe(0);
    expect(readFileSync(p, 'utf8')).toBe([header, line(3071), line(4095, 5), line(8191), ''].join('\n'));
    expect(run('sh', ['-c', `ls ${tmp.dir} | grep -c moduli\\.`]).stdout.trim()).toBe('0');
  });

  it('never empties the file: with no modulus of 3072 bits or more it is left as it is', () => {
    const small = [header, line(2047), line(1535), ''].join('\n');
    const p = file('moduli-small', small);
    expect(skips(p)).toBe(true);
    const r = apply(p);
    expect(r.status).toBe(0);
    expect(r.stderr).toContain('left as it is');
    expect(readFileSync(p, 'utf8')).toBe(small);
  });

  it('skips when there is no moduli file', () => {
    expect(skips(join(tmp.dir, 'absent'))).toBe(true);
  });

  it('its scripts pass shellcheck', (ctx) => {
    const shellcheck = needTool(ctx, 'shellcheck', 'shellcheck');
    const a = act('/etc/ssh/moduli');
    for (const [name, script] of [
      ['filter', a.argv[2]],
      ['probe', a.skipIf![2]],
    ]) {
      const p = join(tmp.dir, `${name}.sh`);
      writeFileSync(p, `#!/bin/sh\n${script}\n`);
      const r = run(shellcheck, ['--severity=style', '--format=gcc', p]);
      expect(r.stdout + r.stderr, name).toBe('');
    }
  });
});
