// Issue 23 "Lower": `claw-setup restore` from a local file failed the apply-time secret check (the
// archive travels as one base64 secret, far over the generic 4096 characters), and an age identity
// file with more than one key was refused (the keys are joined by newlines). Both through the real
// readers of src/cli/backup.ts, the real restore planner and the check every change runs first.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { answersSchema } from '../src/answers/schema.js';
import { readAgeIdentity, readLocalArchive } from '../src/cli/backup.js';
import { Secret } from '../src/core/secret.js';
import { checkPlanSecrets, secretProblems } from '../src/plan/secret-checks.js';
import { planRestore } from '../steps/backup-restore.js';

const KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOzac/xuB9gNpgB4w5HHB6XCSigKaq1/D/1Wknm6DDhs you@laptop';
const dir = mkdtempSync(join(tmpdir(), 'claw-findings-restore-'));
const answers = answersSchema.parse({ target: { host: '203.0.113.10' }, deployUser: { authorizedKeys: [KEY] } });
const ageKey = (c: string) => `AGE-SECRET-KEY-1${c.repeat(58)}`;

describe('restore from a local file passes the check every change runs before it starts', () => {
  it('a 200 KB archive (base64 on stdin): no "longer than 4096 characters"', () => {
    const f = join(dir, 'openclaw-20260101T030000Z.tar.gz');
    writeFileSync(f, gzipSync(randomBytes(200_000)));
    const source = readLocalArchive(f);
    expect(source.base64.reveal().length).toBeGreaterThan(4096);
    expect(secretProblems([source.base64])).toEqual([]);
    expect(() => checkPlanSecrets(planRestore(answers, { source, identity: null }, 'h'))).not.toThrow();
  });

  it('an encrypted archive with an identity file of two keys (age-keygen twice, or a rotated key kept)', () => {
    const f = join(dir, 'openclaw-20260101T030000Z.tar.gz.age');
    writeFileSync(f, Buffer.concat([Buffer.from('age-encryption.org/v1\n'), randomBytes(50_000)]));
    const id = join(dir, 'keys.txt');
    writeFileSync(id, `# created: 2026-01-01\n# public key: age1...\n${ageKey('Q')}\n\n# older key\n${ageKey('P')}\n`);
    const identity = readAgeIdentity(id);
    expect(identity.reveal().split('\n')).toHaveLength(2);
    expect(secretProblems([identity])).toEqual([]);
    expect(() => checkPlanSecrets(planRestore(answers, { source: readLocalArchive(f), identity }, 'h'))).not.toThrow();
  });

  it('still refuses what is not an archive or an identity, without echoing it', () => {
    const bad = secretProblems([Secret.of('ARCHIVE', 'not base64 at all!', 'test'), Secret.of('AGE_IDENTITY', `${ageKey('Q')}\nrm -rf /`, 'test')]);
    expect(bad).toHaveLength(2);
    expect(bad[0]).toContain('ARCHIVE (test) is not base64');
    expect(bad[1]).toContain('AGE_IDENTITY (test) is not an age identity');
    expect(bad.join('\n')).not.toMatch(/rm -rf|at all!/);
  });

  it('the other secrets keep their rules (one line, at most 4096 characters)', () => {
    expect(secretProblems([Secret.of('TELEGRAM_BOT_TOKEN', `123456789:${'A'.repeat(5000)}`, 'test')])[0]).toContain('is longer than 4096 characters');
    expect(secretProblems([Secret.of('OTHER_SECRET', 'a\nb', 'test')])[0]).toContain('holds a newline');
  });
});
