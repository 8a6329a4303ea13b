import type { Answers } from '../src/answers/schema.js';
import { secretText, type Secret } from '../src/core/secret.js';
import { VERSION } from '../src/core/version.js';
import { run, type Plan, type RunAction, type Step } from '../src/plan/action.js';
import { OFFSITE_FILE, OFFSITE_PATHS, OFFSITE_TAG, RESTORE_STAGE } from '../src/plan/backup-paths.js';
import { guarded, settleStaleGroups } from '../src/plan/guard.js';
import { serverPaths } from '../src/plan/paths.js';
import { shJoin, shQuote } from '../src/plan/shell.js';
import { healthGate, keptCopiesDir, recreateArgv, recreateGateway, stopGateway, validateCandidateScript } from './deployment.js';
import { CONTAINER_UID } from './openclaw.js';

/**
 * `claw-setup restore`: put a backup archive back on a running deployment (or on
 * a fresh server that `claw-setup --yes` set up with the same answers, which is
 * how a dead VPS is replaced), guarded like add-channel:
 *
 *   1. fetch the archive into a root-only staging directory on the server (the
 *      newest local archive, a path there, a file uploaded from the laptop, or a
 *      restic snapshot), decrypting an age file there with the operator's
 *      identity fed on stdin (it never touches the server's disk);
 *   2. check it: it reads back, holds this deployment's compose file and
 *      openclaw.json and nothing outside that directory, and OpenClaw's own
 *      validator accepts its config;
 *   3. keep the current state as a local archive;
 *   4. under the dead-man switch: stop the gateway, swap the directory
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
  /** A restic snapshot of the off-server copy: "latest" or a snapshot id. */
  | { kind: 'restic'; snapshot: string };

export interface RestoreRequest {
  source: RestoreSource;
  /** The operator's age identity (AGE-SECRET-KEY-1…), for an encrypted source; fed to `age -d -i -` on stdin. */
  identity: Secret | null;
}

/** Where the swapped-out directory waits until the new one is proven healthy. */
export const preRestoreDir = (a: Answers) => `${serverPaths(a).composeDir}.pre-restore`;

/** Whether the source is age-encrypted (needs --age-identity). */
export function sourceEncrypted(s: RestoreSource): boolean {
  return s.kind === 'restic' || (s.kind === 'upload' && s.encrypted);
}

const sh = (script: string, ...args: string[]) => ['sh', '-c', script, 'sh', ...args];

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
          `fetch snapshot ${s.snapshot} of the off-server copy (age-encrypted)`,
          sh(`${OFFSITE_PATHS.wrapper} dump --quiet --tag ${OFFSITE_TAG} "$2" /${OFFSITE_FILE} >"$1/$3"`, stage, s.snapshot, target),
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

/**
 * Checks the staged archive and unpacks it into $1/tree (owners kept, as tar does for root):
 * it reads back, every entry is under the compose directory, and it holds the compose file and openclaw.json.
 */
export const CHECK_ARCHIVE = `set -eu
a="$1/archive.tar.gz"
tar -tzf "$a" >"$1/list" 2>/dev/null || { echo "the archive does not read back (not a .tar.gz, or damaged)" >&2; exit 1; }
if grep -v -e "^$2/" -e "^$2\\$" "$1/list" | grep -q .; then
  echo "the archive holds files outside /$2: not a claw-setup backup of this deployment" >&2
  exit 1
fi
for f in docker-compose.yml .env config/openclaw.json; do
  grep -qx "$2/$f" "$1/list" || { echo "the archive holds no /$2/$f: not a claw-setup backup of this deployment" >&2; exit 1; }
done
rm -rf "$1/tree"
mkdir -m 700 "$1/tree"
tar -xzf "$a" -C "$1/tree"
echo "the archive reads back: $(wc -l <"$1/list") entries under /$2"`;

/** The restore plan: fetch and check, keep the current state, then the guarded swap. */
export function planRestore(a: Answers, r: RestoreRequest, host: string): Plan {
  const p = serverPaths(a);
  const src = p.composeDir.replace(/^\/+/, '');
  const tree = `${RESTORE_STAGE}/tree/${src}`;
  const candidate = `${p.config}.restore-candidate`;
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
    title: 'Restore: fetch the archive and check it',
    summary: [`from ${describeSource(r.source, a)}; checked (reads back, holds this deployment's files, OpenClaw accepts its config) before anything changes`],
    actions: [
      settleStaleGroups(),
      run(`a fresh staging directory ${RESTORE_STAGE} (root only)`, sh('rm -rf -- "$1" && install -d -m 0700 "$1"', RESTORE_STAGE)),
      ...fetchActions(a, r),
      run("the archive reads back and holds this deployment's files", sh(CHECK_ARCHIVE, RESTORE_STAGE, src), { timeoutSec: 600 }),
      run(
        "OpenClaw accepts the archive's openclaw.json (its own validator, in the gateway image)",
        sh(
          `install -m 600 -o ${CONTAINER_UID} -g ${CONTAINER_UID} -- "$1" "$2" || exit 1
${validateCandidateScript(p, candidate)}
rc=$?
rm -f -- "$2"
exit "$rc"`,
          `${tree}/config/openclaw.json`,
          candidate,
        ),
        { timeoutSec: 180 },
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
        `swap ${p.composeDir} for the restored one (the previous one waits as ${old})`,
        sh('set -e; rm -rf -- "$3"; if [ -e "$1" ]; then mv -- "$1" "$3"; fi; mv -- "$2" "$1"', p.composeDir, tree, old),
      ),
      run(
        `${p.composeDir}: owner ${user}, 700; .env and the compose file 600`,
        sh(
          'set -e; chown "$2:$2" -- "$1" "$1/.env" "$1/docker-compose.yml"; chmod 700 -- "$1"; chmod 600 -- "$1/.env" "$1/docker-compose.yml"',
          p.composeDir,
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
export function cleanupStageArgv(): string[] {
  return ['rm', '-rf', '--', RESTORE_STAGE];
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
      return `restic snapshot ${s.snapshot} in ${a.backups.offsite?.repository ?? 'the off-server repository'} (age-encrypted)`;
  }
}
