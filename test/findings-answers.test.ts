// Issue 23 "Lower" findings about answers: backups.dir inside the deployment, a plain-http
// Telegram apiRoot to a public host, a non-key authorized-keys file echoed in the error, a
// 1m memory limit. Each through the real schema / loader, as the CLI and wizard use them.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { answersSchema, type AnswersInput } from '../src/answers/schema.js';
import { loadKeys } from '../src/answers/load.js';
import { deploymentDirOf } from '../src/answers/field-checks.js';
import { serverPaths } from '../src/plan/paths.js';
import { UserError } from '../src/core/errors.js';

const KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOzac/xuB9gNpgB4w5HHB6XCSigKaq1/D/1Wknm6DDhs you@laptop';
const parse = (extra: AnswersInput) =>
  answersSchema.safeParse({ target: { host: '203.0.113.10' }, ...extra, deployUser: { authorizedKeys: [KEY], ...extra.deployUser } });
const messages = (extra: AnswersInput) => {
  const r = parse(extra);
  return r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
};

describe('backups.dir never inside the deployment (the container writes config/ and workspace/)', () => {
  it.each(['/home/deploy/openclaw', '/home/deploy/openclaw/config', '/home/deploy/openclaw/workspace/backups', '/home/deploy/openclaw/backups'])(
    'refuses %s',
    (dir) => {
      const m = messages({ backups: { dir } });
      expect(m.join('\n')).toMatch(/^backups\.dir: backups\.dir .* is inside the deployment \(\/home\/deploy\/openclaw/m);
    },
  );

  it('follows the deploy user name, and keeps directories of their own', () => {
    expect(messages({ deployUser: { name: 'ops', authorizedKeys: [KEY] }, backups: { dir: '/home/ops/openclaw/config' } })).toHaveLength(1);
    expect(messages({ deployUser: { name: 'ops', authorizedKeys: [KEY] }, backups: { dir: '/home/deploy/openclaw/config' } })).toEqual([]);
    for (const dir of ['/var/backups/openclaw', '/home/deploy/backups', '/home/deploy/openclaw-backups', '/srv/backups/openclaw'])
      expect(messages({ backups: { dir } }), dir).toEqual([]);
  });

  it('names the same directory the plans use', () => {
    const a = answersSchema.parse({ deployUser: { name: 'ops', authorizedKeys: [KEY] } });
    expect(deploymentDirOf('ops')).toBe(serverPaths(a).composeDir);
    expect(serverPaths(a).configDir.startsWith(`${deploymentDirOf('ops')}/`)).toBe(true);
  });
});

describe('a Telegram apiRoot over plain http only to a loopback or private address', () => {
  const tg = (apiRoot: string) => messages({ openclaw: { channels: [{ type: 'telegram', allowFrom: ['123456789'], apiRoot }] } });

  it.each(['http://api.example.com', 'http://203.0.113.9:8081', 'http://8.8.8.8/tg', 'http://172.32.0.1', 'http://192.169.1.1', 'http://11.0.0.1'])(
    'refuses %s (the token would travel in clear)',
    (url) => {
      expect(tg(url).join('\n')).toMatch(/would send the bot token in clear: use https:\/\//);
    },
  );

  it.each([
    'https://api.example.com',
    'https://203.0.113.9:8443/root',
    'http://10.77.3.1:41234', // the e2e's fake Bot API
    'http://127.0.0.1:8081',
    'http://localhost:8081',
    'http://192.168.1.20',
    'http://172.16.0.5',
    'http://172.31.255.1',
  ])('accepts %s', (url) => {
    expect(tg(url)).toEqual([]);
  });

  it('the message quotes only the host, never a path (it may hold the token by mistake)', () => {
    const m = tg('http://api.example.com/secret-path').join('\n');
    expect(m).toContain('http://api.example.com would send');
    expect(m).not.toContain('secret-path');
  });
});

describe('an authorized-keys path that is not a public key: the error names the file, never its content', () => {
  const dir = mkdtempSync(join(tmpdir(), 'claw-findings-'));
  const keysFrom = (content: string, name = 'not-a-key') => {
    const f = join(dir, name);
    writeFileSync(f, content);
    const a = answersSchema.parse({ deployUser: { authorizedKeys: [f] } });
    try {
      loadKeys(a);
    } catch (e) {
      expect(e).toBeInstanceOf(UserError);
      return { file: f, text: `${(e as UserError).message}\n${(e as UserError).howToFix ?? ''}` };
    }
    throw new Error('loadKeys accepted it');
  };

  it('a password file (or /etc/shadow by mistake): file and line named, no byte of it echoed', () => {
    const { file, text } = keysFrom('# comment\nroot:$y$j9T$Hunter2SecretHash:19000:0:99999:7:::\n', 'shadow');
    expect(text).toContain(`public key file ${file}, line 2: not an OpenSSH public key line`);
    expect(text).not.toMatch(/Hunter2|root:|\$y\$/);
  });

  it('a private key: says so, echoes nothing of it', () => {
    const { text } = keysFrom(
      '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ\n-----END OPENSSH PRIVATE KEY-----\n',
      'id_ed25519',
    );
    expect(text).toContain('line 1: this is a private key: name the public key (the .pub file next to it)');
    expect(text).not.toContain('b3BlbnNzaC1rZXktdjE');
  });

  it('a typed key line still gets the helpful "unsupported key type" (the operator wrote it)', () => {
    expect(messages({ deployUser: { authorizedKeys: ['ssh-dss AAAAB3NzaC1kc3M= me'] } }).join('\n')).toMatch(/unsupported key type "ssh-dss"/);
  });

  it('a good .pub file still loads', () => {
    const f = join(dir, 'good.pub');
    writeFileSync(f, `${KEY}\n`);
    expect(loadKeys(answersSchema.parse({ deployUser: { authorizedKeys: [f] } }))).toEqual([KEY]);
  });
});

describe('openclaw.memoryLimit has a floor (256m: the gateway alone needs about 200 MiB)', () => {
  it.each(['1m', '64m', '255m'])('refuses %s', (memoryLimit) => {
    expect(messages({ openclaw: { memoryLimit } }).join('\n')).toMatch(/memoryLimit must be at least "256m"/);
  });
  it.each(['256m', '1g', '2g', '1536m'])('accepts %s', (memoryLimit) => {
    expect(messages({ openclaw: { memoryLimit } })).toEqual([]);
  });
});
