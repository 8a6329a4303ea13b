import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import JSON5 from 'json5';
import { answersSchema, type Answers } from '../src/answers/schema.js';
import { secretsFor, type Secrets } from '../src/answers/secrets.js';
import { OS_TABLE, type OsKey } from '../src/plan/facts.js';
import { redactText, type SecretText } from '../src/core/secret.js';
import * as t from '../templates/index.js';
import { renderResticEnv, renderResticWrapper } from '../templates/backup-offsite.js';
import { renderRestoreTestScript, renderRestoreTestService, renderRestoreTestTimer } from '../templates/backup-restore-test.js';

/**
 * The answers variants the template snapshots and validators run on, and every
 * file each variant renders, named as on the server (real extensions), so
 * templates.test.ts, validators.test.ts and openclaw-validate.test.ts agree.
 */

export const VARIANTS = ['minimal', 'full', 'tailscale-only-ssh', 'caddy', 'channels', 'offsite'] as const;
export type Variant = (typeof VARIANTS)[number];

/** The OS each variant is rendered for, so all three supported systems appear in the snapshots. */
const VARIANT_OS: Record<Variant, OsKey> = {
  minimal: 'ubuntu-24.04',
  full: 'debian-12',
  'tailscale-only-ssh': 'ubuntu-22.04',
  caddy: 'debian-12',
  channels: 'ubuntu-24.04',
  offsite: 'debian-12',
};

/** Stands in for the operator address the wizard detects when the answers say "auto". */
export const TEST_OPERATOR_IP = '198.51.100.7';

export function loadAnswers(variant: Variant): Answers {
  const file = fileURLToPath(new URL(`./fixtures/answers/${variant}.json5`, import.meta.url));
  return answersSchema.parse(JSON5.parse(readFileSync(file, 'utf8')));
}

/** Lazy secrets: nothing is read, and redacted text shows `<secret:NAME>`. */
export function loadSecrets(a: Answers): Secrets {
  return secretsFor(a, {});
}

export type FileKind = 'compose' | 'openclaw-json' | 'env' | 'sshd' | 'fail2ban' | 'apt-conf' | 'apt-source' | 'json' | 'caddyfile' | 'script' | 'unit';

/** One rendered file: snapshot name, kind (which validator applies), redacted text, and the raw SecretText if any. */
export interface RenderedFile {
  name: string;
  kind: FileKind;
  text: string;
  secretText?: SecretText;
}

/** Every file a variant renders, in a stable order. */
export function renderVariant(variant: Variant): RenderedFile[] {
  const a = loadAnswers(variant);
  const s = loadSecrets(a);
  const os = OS_TABLE[VARIANT_OS[variant]];
  const files: RenderedFile[] = [];
  const add = (name: string, kind: FileKind, text: string | SecretText) =>
    files.push(typeof text === 'string' ? { name, kind, text } : { name, kind, text: redactText(text), secretText: text });

  add('docker-compose.yml', 'compose', t.renderCompose(a));
  add('openclaw.json', 'openclaw-json', t.renderOpenclawJson(a));
  add('env', 'env', t.renderEnvFile(a, s));
  add('00-claw-setup.conf', 'sshd', t.renderSshdDropIn(a));
  if (a.fail2ban.enabled) {
    add('claw-setup.local', 'fail2ban', t.renderFail2banJail(a, a.operatorIp === 'auto' ? TEST_OPERATOR_IP : a.operatorIp));
  }
  if (a.updates.unattended) {
    add('20auto-upgrades', 'apt-conf', t.renderAutoUpgrades(a));
    add('52claw-setup-unattended-upgrades', 'apt-conf', t.renderUnattendedUpgrades(a, os));
  }
  if (a.docker.install) {
    add('docker.sources', 'apt-source', t.dockerAptSource(os).text);
    add('daemon.json', 'json', t.renderDockerDaemon());
  }
  if (a.tailscale.enabled) add('tailscale.sources', 'apt-source', t.tailscaleAptSource(os).text);
  if (a.access.mode === 'caddy') {
    add('caddy-stable.sources', 'apt-source', t.caddyAptSource().text);
    add('Caddyfile', 'caddyfile', t.renderCaddyfile(a));
  }
  if (a.backups.enabled) {
    add('openclaw-backup.sh', 'script', t.renderBackupScript(a));
    add('openclaw-backup.service', 'unit', t.renderBackupService(a));
    add('openclaw-backup.timer', 'unit', t.renderBackupTimer(a));
    add('openclaw-restore-test.sh', 'script', renderRestoreTestScript(a));
    add('openclaw-restore-test.service', 'unit', renderRestoreTestService(a));
    add('openclaw-restore-test.timer', 'unit', renderRestoreTestTimer());
  }
  if (a.backups.offsite) {
    add('claw-restic.sh', 'script', renderResticWrapper(a));
    add('restic.env', 'env', renderResticEnv(a, s));
  }
  if (a.monitoring.enabled) {
    add('openclaw-health.sh', 'script', t.renderHealthScript(a));
    add('openclaw-health.service', 'unit', t.renderHealthService(a));
    add('openclaw-health.timer', 'unit', t.renderHealthTimer(a));
    add('monitoring.env', 'env', t.renderMonitoringEnv(a, s));
  }
  if (variant === 'minimal') {
    add(
      'deadman.sh',
      'script',
      t.renderDeadman({
        id: 'ssh',
        dir: '/var/lib/claw-setup/deadman/ssh',
        paths: ['/etc/ssh/sshd_config.d/00-claw-setup.conf'],
        afterRestore: ['systemctl reload ssh || systemctl reload sshd || true'],
        unit: 'claw-setup-deadman-ssh',
        bootUnit: 'claw-setup-deadman-boot@ssh.service',
      }),
    );
    add('claw-setup-deadman-boot@.service', 'unit', t.renderDeadmanBootUnit('/var/lib/claw-setup/deadman'));
  }
  return files;
}
