import type { Answers } from '../src/answers/schema.js';
import { secretText, type Secret } from '../src/core/secret.js';
import { VERSION } from '../src/core/version.js';
import { run, write, type Plan, type RunAction, type Step } from '../src/plan/action.js';
import { OFFSITE_FILE, OFFSITE_PATHS, OFFSITE_TAG, RESTORE_STAGE } from '../src/plan/backup-paths.js';
import { RESTIC_HOST_OVERRIDE } from '../templates/backup-offsite.js';
import { guarded } from '../src/plan/guard.js';
import { serverPaths } from '../src/plan/paths.js';
import { shJoin, shQuote } from '../src/plan/shell.js';
import { imageRef, renderCompose } from '../templates/compose.js';
import { openclawConfig } from '../templates/openclaw-json.js';
import { healthGate, keptCopiesDir, recreateArgv, recreateGateway, stopGateway } from './deployment.js';
import { CONTAINER_UID } from './openclaw.js';
import { CHECK_ARCHIVE, MERGE_POLICY_JS, REBUILD_CONFIG } from './restore-scripts.js';

/**
 * `claw-setup restore`: put a backup archive back on a running deployment (or on
 * a fresh server that `claw-setup --yes` set up with the same answers, which is
 * how a dead VPS is replaced), guarded like add-channel:
 *
 *   1. fetch the archive into a root-only staging directory on the server (the
 *      newest local archive, a path there, a file uploaded from the laptop, or a
 *      restic snapshot), decrypting an age file there with the operator's
 *      identity fed on stdin (it never touches the server's disk);
 *   2. check it (steps/restore-scripts.ts): it reads back, holds this
 *      deployment's compose file, .env and openclaw.json, nothing outside that
 *      directory and nothing but regular files and directories; unpack it into
 *      a root-only directory beside the deployment (same file system);
 *   3. rebuild it: an archive is data, not privileges. The compose file is
 *      rendered from the answers, and the answers' policy keys of openclaw.json
 *      (bind, auth, tools, sandbox, channel policies) are re-applied over the
 *      archive's; OpenClaw's own validator accepts the result;
 *   4. keep the current state as a local archive;
 *   5. under the dead-man switch: stop the gateway, swap the directory
 *      (renames), recreate, and prove /healthz; on any failure (or a dead
 *      laptop) the previous directory is renamed back and the gateway recreated.
 */

export type RestoreSource =
  /** The newest archive in backups.dir on the server. */
  | { kind: 'newest' }
  /** An archive already on the server. */
  | { kind: 'server'; path: string }
  /** A file from the operator's machine, base64 on stdin (it holds secrets, so it travels as one). */
  | { kind: 'upload'; name: string; base64: Secret; encrypted: boolean }
  /**
   * A restic snapshot of the off-server copy: "latest" or a snapshot id, of this server's own
   * snapshots (claw-restic selects them with --host), or of `fromHost`'s, on purpose.
   */
  | { kind: 'restic'; snapshot: string; fromHost?: string };

export interface RestoreRequest {
  source: RestoreSource;
  /** The operator's age identity (AGE-SECRET-KEY-1…), for an encrypted source; fed to `age -d -i -` on stdin. */
  identity: Secret | null;
}

/** Where the swapped-out directory waits until the new one is proven healthy. */
export const preRestoreDir = (a: Answers) => `${serverPaths(a).composeDir}.pre-restore`;
/**
 * Where the archive is unpacked and rebuilt (root only): beside the deployment, on its file
 * system, so it moves in by rename; outside config/, which the container can write.
 */
export const restoreTreeDir = (a: Answers) => `${serverPaths(a).composeDir}.restore`;

/** Whether the source is age-encrypted (needs --age-identity). */
export function sourceEncrypted(s: RestoreSource): boolean {
  return s.kind === 'restic' || (s.kind === 'upload' && s.encrypted);
}

const sh = (script: string, ...args: string[]) => ['sh', '-c', script, 'sh', ...args];

/**
 * One snapshot ($2) of one host into $1/$3: this server's own (the name recorded at setup, which
 * claw-restic passes as --host), or $4's when given. A fleet sharing a repository never gets
 * another member's snapshot by accident: "latest" is the latest of this host.
 */
export const RESTIC_FETCH = `h=\${4:-$(cat ${OFFSITE_PATHS.host} 2>/dev/null)}
[ -n "$h" ] || { echo "no host name recorded in ${OFFSITE_PATHS.host}: rerun claw-setup with these answers first" >&2; exit 1; }
echo "snapshot $2 of host $h"
${RESTIC_HOST_OVERRIDE}="$h" ${OFFSITE_PATHS.wrapper} dump --quiet --tag ${OFFSITE_TAG} "$2" /${OFFSITE_FILE} >"$1/$3" || {
  echo "no snapshot $2 of host $h could be read. Another server's: claw-setup restore --from-host NAME (the names: sudo CLAW_RESTIC_ALL_HOSTS=1 claw-restic snapshots)" >&2
  exit 1
}`;

function fetchActions(a: Answers, r: RestoreRequest): RunAction[] {
  const stage = RESTORE_STAGE;
  const s = r.source;
  const target = sourceEncrypted(s) ? 'archive.tar.gz.age' : 'archive.tar.gz';
  const out: RunAction[] = [];
  switch (s.kind) {
    case 'newest':
      out.push(
        run(
          `copy the newest archive of ${a.backups.dir}`,
          sh(
            `f=$(find "$1" -maxdepth 1 -type f -name 'openclaw-*.tar.gz' -printf '%T@ %p\\n' | sort -n | tail -n 1 | cut -d' ' -f2-)
[ -n "$f" ] || { echo "no archive in $1" >&2; exit 1; }
echo "restoring $f"
cp -- "$f" "$2/archive.tar.gz"`,
            a.backups.dir,
            stage,
          ),
          { timeoutSec: 600 },
        ),
      );
      break;
    case 'server':
      out.push(run(`copy ${s.path} (on the server)`, ['cp', '--', s.path, `${stage}/archive.tar.gz`], { timeoutSec: 600 }));
      break;
    case 'upload':
      out.push(
        run(`upload ${s.name} from this machine (on stdin)`, sh('base64 -d >"$1/$2"', stage, target), {
          stdin: secretText`${s.base64}`,
          timeoutSec: 1800,
        }),
      );
      break;
    case 'restic':
      out.push(
        run(
          `fetch snapshot ${s.snapshot} of ${s.fromHost ? `host ${s.fromHost} (--from-host)` : 'this server (its own host name only)'} from the off-server copy (age-encrypted)`,
          sh(RESTIC_FETCH, stage, s.snapshot, target, s.fromHost ?? ''),
          { timeoutSec: 1800 },
        ),
      );
      break;
  }
  if (sourceEncrypted(s)) {
    if (!r.identity) throw new Error('internal: an encrypted source without an identity');
    out.push(
      run(
        'decrypt it on the server with your age identity (on stdin, never on disk)',
        sh('age -d -i - -o "$1/archive.tar.gz" "$1/archive.tar.gz.age" && rm -f -- "$1/archive.tar.gz.age"', stage),
        { stdin: secretText`${r.identity}\n`, timeoutSec: 600 },
      ),
    );
  }
  return out;
}

/** The restore plan: fetch and check, rebuild from the answers, keep the current state, then the guarded swap. */
export function planRestore(a: Answers, r: RestoreRequest, host: string): Plan {
  const p = serverPaths(a);
  const src = p.composeDir.replace(/^\/+/, '');
  const tree = restoreTreeDir(a);
  const recreate = recreateArgv(p);
  const old = preRestoreDir(a);
  const user = a.deployUser.name;
  const keepCurrent: RunAction = a.backups.enabled
    ? run('keep the current state first: a local archive, as the daily backup makes', [p.backupScript, '--local-only'], { timeoutSec: 900 })
    : run(
        'keep the current state first: an archive in /var/lib/claw-setup/backups',
        sh(
          'umask 077 && mkdir -p "$1" && f="$1/$(date -u +%Y%m%dT%H%M%SZ)-pre-restore.tar.gz" && tar -czf "$f" -C / "$2" && echo "kept the current state in $f"',
          keptCopiesDir(p),
          src,
        ),
        { timeoutSec: 900 },
      );
  const fetch: Step = {
    id: 'backups',
    title: 'Restore: fetch the archive, check it, rebuild it from the answers',
    summary: [
      `from ${describeSource(r.source, a)}; checked (reads back, only files and directories of this deployment) before anything changes`,
      "the compose file and openclaw.json's policy keys rebuilt from the answers (the archive gives data, not privileges); OpenClaw validates the result",
    ],
    actions: [
      run(`a fresh staging directory ${RESTORE_STAGE} (root only)`, sh('rm -rf -- "$1" && install -d -m 0700 "$1"', RESTORE_STAGE)),
      ...fetchActions(a, r),
      run(
        `the archive reads back and holds only this deployment's files and directories; unpacked into ${tree} (root only)`,
        sh(CHECK_ARCHIVE, RESTORE_STAGE, src, tree, user, CONTAINER_UID),
        { timeoutSec: 600 },
      ),
      write(`${tree}/docker-compose.yml`, renderCompose(a), {
        mode: 0o600,
        owner: user,
        title: "docker-compose.yml from the answers (the archive's is not used)",
      }),
      run(
        "openclaw.json: the archive's, with the answers' policy keys re-applied (in a throwaway container), then OpenClaw's validator",
        sh(REBUILD_CONFIG, tree, imageRef(a), CONTAINER_UID, MERGE_POLICY_JS, JSON.stringify(openclawConfig(a))),
        { timeoutSec: 300 },
      ),
      keepCurrent,
    ],
  };
  const group = guarded({
    id: 'restore',
    title: 'switch to the restored files, recreate the gateway, prove it healthy',
    // Nothing is copied for the switch: the previous directory is renamed aside and renamed back.
    backup: [],
    afterRestore: [
      `if [ -d ${shQuote(old)} ]; then rm -rf -- ${shQuote(p.composeDir)} && mv -- ${shQuote(old)} ${shQuote(p.composeDir)}; fi`,
      `${shJoin(recreate)} || true`,
    ],
    actions: [
      stopGateway(p),
      run(
        `swap ${p.composeDir} for the restored one by renames (the previous one waits as ${old}); owner ${user}, 700`,
        sh(
          'set -e; rm -rf -- "$3"; if [ -e "$1" ]; then mv -- "$1" "$3"; fi; mv -- "$2" "$1"; chown -h -- "$4:$4" "$1"; chmod 700 -- "$1"',
          p.composeDir,
          tree,
          old,
          user,
        ),
      ),
      recreateGateway(p, 'the restored files'),
    ],
    gates: [healthGate(a)],
  });
  const swap: Step = {
    id: 'backups',
    title: 'Restore: switch, recreate, prove healthy',
    summary: ['under the dead-man switch: on any failure the previous directory comes back and the gateway is recreated on it'],
    actions: [group, run('remove the staging directory and the previous directory (kept as an archive above)', ['rm', '-rf', '--', RESTORE_STAGE, old])],
  };
  return {
    header: [`claw-setup ${VERSION}: restore on ${host}`, `Restores ${p.composeDir} from ${describeSource(r.source, a)}.`],
    steps: [fetch, swap],
  };
}

/** Removes what a failed restore left staged (the archive holds secrets). */
export function cleanupStageArgv(a: Answers): string[] {
  return ['rm', '-rf', '--', RESTORE_STAGE, restoreTreeDir(a)];
}

export function describeSource(s: RestoreSource, a: Answers): string {
  switch (s.kind) {
    case 'newest':
      return `the newest archive in ${a.backups.dir}`;
    case 'server':
      return `${s.path} on the server`;
    case 'upload':
      return `${s.name} (uploaded from this machine${s.encrypted ? ', age-encrypted' : ''})`;
    case 'restic':
      return `restic snapshot ${s.snapshot}${s.fromHost ? ` of host ${s.fromHost}` : ''} in ${a.backups.offsite?.repository ?? 'the off-server repository'} (age-encrypted)`;
  }
}
