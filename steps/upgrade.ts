import type { Answers } from '../src/answers/schema.js';
import { UserError } from '../src/core/errors.js';
import { VERSION } from '../src/core/version.js';
import { run, write, type Argv, type Plan, type Step } from '../src/plan/action.js';
import type { Deployed } from '../src/plan/deployed-state.js';
import { guarded } from '../src/plan/guard.js';
import { serverPaths, type ServerPaths } from '../src/plan/paths.js';
import { shJoin, shQuote } from '../src/plan/shell.js';
import { imageRef, renderCompose } from '../templates/compose.js';
import { healthGate, journalUpdate, keepCopy, probeGate, recreateArgv, recreateGateway, stopGateway } from './deployment.js';
import { composeArgv } from './openclaw.js';

/**
 * `claw-setup upgrade --to VERSION`: a new OpenClaw image, planned like the rollout: a backup and
 * a kept copy first, the new version validates the config as it is before anything switches, then
 * the switch runs under the server-side dead-man switch with the gateway's health and the
 * channels' own probes as gates, so a version that does not come up healthy is rolled back.
 */

/** What runs now, from `docker image inspect` of the running gateway's image (read-only). */
export interface RunningImage {
  /** As the compose file names it, e.g. ghcr.io/openclaw/openclaw:2026.9.6. */
  ref: string;
  /** The image id (sha256:…) of what runs. */
  id: string;
  /** The registry digest (repo@sha256:…), when the image came from a registry. */
  digest: string | null;
}

/** `--to VERSION` or `--to VERSION@sha256:…` (a digest pins the exact image). */
export function parseUpgradeTarget(to: string): { version: string; digest?: string } {
  const m = /^(\d{4}\.\d{1,2}\.\d{1,2}(?:-[a-z0-9.]{1,20})?)(?:@(sha256:[0-9a-f]{64}))?$/.exec(to);
  if (!m) throw new UserError(`--to ${to.slice(0, 80)} is not an OpenClaw version`, 'e.g. --to 2026.10.1, or pinned: --to 2026.10.1@sha256:<64 hex digits>');
  return { version: m[1], ...(m[2] ? { digest: m[2] } : {}) };
}

/** Reads the running image: one round trip. Prints `ref id digest` ("-" for none). */
export function runningImageArgv(p: Pick<ServerPaths, 'composeDir' | 'compose'>): Argv {
  const ps = shJoin(composeArgv({ paths: p }, 'ps', '-q', 'openclaw-gateway'));
  return [
    'sh',
    '-c',
    `c=$(${ps} 2>/dev/null | head -n 1); [ -n "$c" ] || { echo "- - -"; exit 0; }; ` +
      `id=$(docker inspect -f '{{.Image}}' "$c"); ref=$(docker inspect -f '{{.Config.Image}}' "$c"); ` +
      `dg=$(docker image inspect -f '{{range .RepoDigests}}{{.}} {{end}}' "$id" | cut -d' ' -f1); echo "$ref $id \${dg:--}"`,
  ];
}

export function parseRunningImage(stdout: string): RunningImage | null {
  const [ref, id, digest] = stdout.trim().split(/\s+/);
  if (!ref || ref === '-' || !id) return null;
  return { ref, id, digest: digest && digest !== '-' ? digest : null };
}

/** Pulls the image unless Docker has it already (an imported or pinned image needs no registry). */
export function pullArgv(ref: string): Argv {
  return ['sh', '-c', 'docker image inspect "$1" >/dev/null 2>&1 || docker pull "$1"', 'sh', ref];
}

/**
 * Removes the gateway's older images of the same repository, keeping the one
 * that runs now and the one before (the rollback). Tags only; layers in use stay.
 */
export function pruneArgv(repo: string, keep: string[]): Argv {
  return [
    'sh',
    '-c',
    'repo=$1; shift; docker image ls "$repo" --format "{{.Repository}}:{{.Tag}}" | while read -r ref; do ' +
      'keep=0; for k in "$@"; do [ "$ref" = "${k%%@*}" ] && keep=1; done; ' +
      'if [ "$keep" = 0 ] && [ "${ref##*:}" != "<none>" ]; then docker image rm "$ref" >/dev/null && echo "removed $ref"; fi; done; true',
    'sh',
    repo,
    ...keep,
  ];
}

export interface UpgradePlan {
  plan: Plan;
  from: string;
  to: string;
  /** False when the target is what runs already. */
  changes: boolean;
}

/** The upgrade from what runs (`current`) to `next` answers (openclaw.version/digest changed). */
export function planUpgrade(now: Answers, next: Answers, d: Deployed, current: RunningImage | null, host: string): UpgradePlan {
  const p = serverPaths(next);
  if (d.configText === null) throw new UserError(`no OpenClaw config at ${p.config} on ${host}`, 'is OpenClaw deployed there? run the setup first');
  const from = current?.ref ?? imageRef(now);
  const to = imageRef(next);
  const candidate = `${p.compose}.candidate`;
  const candidateCompose = composeArgv(
    { paths: { composeDir: p.composeDir, compose: candidate as typeof p.compose } },
    'run',
    '--rm',
    '--no-deps',
    '-T',
    'openclaw-gateway',
  );
  const channels = next.openclaw.channels.map((c) => c.type);
  const group = guarded({
    id: 'upgrade',
    title: `switch the gateway to ${to}, prove it healthy, or go back to ${from}`,
    backup: [p.compose, p.config],
    afterRestore: [`rm -f -- ${shQuote(candidate)}`, shJoin(recreateArgv(p))],
    actions: [
      stopGateway(p),
      run('switch to the new compose file', ['mv', '-f', '--', candidate, p.compose]),
      recreateGateway(p, `the ${next.openclaw.version} image`),
    ],
    gates: [healthGate(next), ...channels.map((c) => probeGate(p, c))],
  });
  const history = Array.isArray(d.journal?.upgrades) ? (d.journal.upgrades as unknown[]) : [];
  const step: Step = {
    id: 'channel',
    title: `Upgrade OpenClaw ${now.openclaw.version} → ${next.openclaw.version}`,
    summary: [
      `image ${from}${current ? ` (${current.digest ?? current.id.slice(0, 19)})` : ''} → ${to}`,
      'backup first; the new version validates the config before anything switches; on any failure the previous image and files come back',
    ],
    actions: [
      ...(next.backups.enabled ? [run('a backup now (the daily backup service)', ['systemctl', 'start', 'openclaw-backup.service'], { timeoutSec: 600 })] : []),
      keepCopy(p, `upgrade-${now.openclaw.version}-to-${next.openclaw.version}`, 'upgrade', [p.compose, p.config, p.env]),
      run(`get the image ${to} (pulled unless Docker has it)`, pullArgv(to), { timeoutSec: 900 }),
      write(candidate, renderCompose(next), { mode: 0o600, owner: next.deployUser.name, title: `candidate docker-compose.yml naming ${to}` }),
      run(
        `OpenClaw ${next.openclaw.version} accepts the config as it is (its own validator, before anything switches)`,
        ['sh', '-c', `${shJoin(candidateCompose)} node dist/index.js config validate || { rm -f -- "$1"; exit 1; }`, 'sh', candidate],
        { timeoutSec: 180 },
      ),
      group,
      run(`remove older ${next.openclaw.image} images (kept: ${to} and ${from} for a rollback)`, pruneArgv(next.openclaw.image, [to, from]), {
        timeoutSec: 120,
      }),
      journalUpdate(p, d.journal, next, 'journal: the version now deployed, and the one before (no secrets)', {
        upgrades: [...history, { from, to, fromImageId: current?.id ?? null }].slice(-20),
      }),
    ],
  };
  return {
    plan: { header: [`claw-setup ${VERSION}: upgrade OpenClaw on ${host}`, `${from} → ${to}`], steps: [step] },
    from,
    to,
    changes: from !== to,
  };
}
