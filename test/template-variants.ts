import type { Answers } from '../src/answers/schema.js';
import { secretsFor, type Secrets } from '../src/answers/secrets.js';
import { OS_TABLE, type OsKey } from '../src/plan/facts.js';
import { redactText, type SecretText } from '../src/core/secret.js';
import { renderDeadman, renderDeadmanBootUnit } from '../src/plan/deadman-script.js';
import { caddyAptSource, dockerAptSource, tailscaleAptSource } from '../templates/apt-source.js';
import { renderBackupScript, renderBackupService, renderBackupTimer } from '../templates/backup.js';
import { renderCaddyfile } from '../templates/caddyfile.js';
import { renderCompose } from '../templates/compose.js';
import { renderDockerDaemon } from '../templates/docker-daemon.js';
import { renderEnvFile } from '../templates/env-file.js';
import { renderFail2banJail } from '../templates/fail2ban-jail.js';
import { renderHealthScript, renderHealthService, renderHealthTimer, renderMonitoringEnv } from '../templates/health.js';
import { renderOpenclawJson } from '../templates/openclaw-json.js';
import { renderSshdDropIn } from '../templates/sshd-drop-in.js';
import { renderAutoUpgrades, renderUnattendedUpgrades } from '../templates/unattended-upgrades.js';
import { renderResticEnv, renderResticWrapper } from '../templates/backup-offsite.js';
import { renderRestoreTestScript, renderRestoreTestService, renderRestoreTestTimer } from '../templates/backup-restore-test.js';
import { fixture, FIXTURES, type FixtureName } from './helpers.js';

/**
 * The answers variants the template snapshots and validators run on, and every
 * file each variant renders, named as on the server (real extensions), so
 * templates.test.ts, test/templates/*.test.ts and openclaw-validate.test.ts agree.
 */

/** Every answers fixture: the templates render for each (offsite's restic files exist only there). */
export const VARIANTS = FIXTURES;
export type Variant = FixtureName;

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

/** The answers of a fixture, read by the one loader (test/helpers.ts `fixture`). */
export function loadAnswers(variant: Variant): Answers {
  return fixture(variant);
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

  add('docker-compose.yml', 'compose', renderCompose(a));
  add('openclaw.json', 'openclaw-json', renderOpenclawJson(a));
  add('env', 'env', renderEnvFile(a, s));
  add('00-claw-setup.conf', 'sshd', renderSshdDropIn(a));
  if (a.fail2ban.enabled) {
    add('claw-setup.local', 'fail2ban', renderFail2banJail(a, a.operatorIp === 'auto' ? TEST_OPERATOR_IP : a.operatorIp));
  }
  if (a.updates.unattended) {
    add('20auto-upgrades', 'apt-conf', renderAutoUpgrades(a));
    add('52claw-setup-unattended-upgrades', 'apt-conf', renderUnattendedUpgrades(a, os));
  }
  if (a.docker.install) {
    add('docker.sources', 'apt-source', dockerAptSource(os).text);
    add('daemon.json', 'json', renderDockerDaemon());
  }
  if (a.tailscale.enabled) add('tailscale.sources', 'apt-source', tailscaleAptSource(os).text);
  if (a.access.mode === 'caddy') {
    add('caddy-stable.sources', 'apt-source', caddyAptSource().text);
    add('Caddyfile', 'caddyfile', renderCaddyfile(a));
  }
  if (a.backups.enabled) {
    add('openclaw-backup.sh', 'script', renderBackupScript(a));
    add('openclaw-backup.service', 'unit', renderBackupService(a));
    add('openclaw-backup.timer', 'unit', renderBackupTimer(a));
    add('openclaw-restore-test.sh', 'script', renderRestoreTestScript(a));
    add('openclaw-restore-test.service', 'unit', renderRestoreTestService(a));
    add('openclaw-restore-test.timer', 'unit', renderRestoreTestTimer());
  }
  if (a.backups.offsite) {
    add('claw-restic.sh', 'script', renderResticWrapper(a));
    add('restic.env', 'env', renderResticEnv(a, s));
  }
  if (a.monitoring.enabled) {
    add('openclaw-health.sh', 'script', renderHealthScript(a));
    add('openclaw-health.service', 'unit', renderHealthService(a));
    add('openclaw-health.timer', 'unit', renderHealthTimer(a));
    add('monitoring.env', 'env', renderMonitoringEnv(a, s));
  }
  if (variant === 'minimal') {
    add(
      'deadman.sh',
      'script',
      renderDeadman({
        id: 'ssh',
        dir: '/var/lib/claw-setup/deadman/ssh',
        paths: ['/etc/ssh/sshd_config.d/00-claw-setup.conf'],
        afterRestore: ['systemctl reload ssh || systemctl reload sshd || true'],
        unit: 'claw-setup-deadman-ssh',
        bootUnit: 'claw-setup-deadman-boot@ssh.service',
      }),
    );
    add('claw-setup-deadman-boot@.service', 'unit', renderDeadmanBootUnit('/var/lib/claw-setup/deadman'));
  }
  return files;
}
