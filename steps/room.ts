import type { PlanContext } from '../src/plan/context.js';
import { run, write, type Action, type RunAction } from '../src/plan/action.js';
import { fileMatches } from '../src/plan/probes.js';
import { CONTAINER_UID, CONTAINER_USER, GATEWAY_CONTAINER } from '../templates/gateway-shared.js';
import { GUARD_DROP_IN, GUARD_OOM_SCORE_ADJ, renderServiceGuard } from '../templates/host-guard.js';
import { SSH_UNIT } from './helpers.js';

/**
 * "The container is a small room" (DESIGN.md invariant 8): the pieces of the openclaw step that
 * keep the untrusted gateway container apart from the operator: its own host account, the
 * migration of an older deployment's files to it, and the guard on the services that let the
 * operator in.
 */

/**
 * Reserves the container's uid/gid on the host as a nologin system account with no home. Refuses,
 * naming the owner, when the uid, the gid or the name already belong to someone else: sharing a
 * uid with a person or a service is exactly what this account exists to prevent.
 */
export function containerAccount(): RunAction {
  const script = [
    'set -eu',
    'id=$1 name=$2',
    'clash() { echo "claw-setup: $1; the OpenClaw container needs uid and gid $id for itself (account $name). Free them, then rerun." >&2; exit 1; }',
    'u=$(getent passwd "$id" | cut -d: -f1) || true',
    'g=$(getent group "$id" | cut -d: -f1) || true',
    '[ -z "$u" ] || [ "$u" = "$name" ] || clash "uid $id belongs to user $u"',
    '[ -z "$g" ] || [ "$g" = "$name" ] || clash "gid $id belongs to group $g"',
    'nu=$(getent passwd "$name" | cut -d: -f3) || true',
    'ng=$(getent group "$name" | cut -d: -f3) || true',
    '[ -z "$nu" ] || [ "$nu" = "$id" ] || clash "user $name exists with uid $nu"',
    '[ -z "$ng" ] || [ "$ng" = "$id" ] || clash "group $name exists with gid $ng"',
    '[ -n "$g" ] || groupadd --system --gid "$id" "$name"',
    '[ -n "$u" ] || useradd --system --uid "$id" --gid "$id" --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin --comment "OpenClaw gateway container (claw-setup)" "$name"',
  ].join('; '); // one line: the printed plan shows each command on one line
  return run(
    `reserve uid/gid ${CONTAINER_UID} for the container (nologin account ${CONTAINER_USER}; not the deploy user's uid)`,
    ['sh', '-c', script, 'sh', CONTAINER_UID, CONTAINER_USER],
    {
      skipIf: [
        'sh',
        '-c',
        '[ "$(getent passwd "$2" | cut -d: -f3,4,7)" = "$1:$1:/usr/sbin/nologin" ] && [ "$(getent group "$2" | cut -d: -f3)" = "$1" ]',
        'sh',
        CONTAINER_UID,
        CONTAINER_USER,
      ],
    },
  );
}

/**
 * An older deployment ran the container as uid 1000 (the deploy user's): its files move to the
 * container's uid. The gateway is stopped first, so nothing in the tree changes while root walks
 * it; GNU `chown -R` walks by file descriptor (fts) and `-h -P` change links themselves and never
 * follow one, so a link the container planted cannot point root's chown at a host file.
 * Skipped when every entry (links included, `find -P` looks at them, not through) is already the
 * container's.
 */
export function migrateToContainerUid(dir: string): RunAction {
  const id = `${CONTAINER_UID}:${CONTAINER_UID}`;
  return run(
    `give everything in ${dir} to uid ${CONTAINER_UID} (an older version ran the container as 1000; links are changed, never followed)`,
    ['sh', '-c', `docker stop --time 30 ${GATEWAY_CONTAINER} >/dev/null 2>&1 || true; chown -R -h -P ${id} -- "$1"`, 'sh', dir],
    { skipIf: ['sh', '-c', `[ -z "$(find -P "$1" -xdev \\( ! -uid ${CONTAINER_UID} -o ! -gid ${CONTAINER_UID} \\) -print -quit 2>/dev/null)" ]`, 'sh', dir] },
  );
}

/**
 * The workspace volume's mount point inside config/ (the volume is mounted at
 * /home/node/.openclaw/workspace, inside the config volume). Left to Docker, runc makes it root's
 * on the host, inside a tree that should be the container's alone, and the next rerun's migration
 * would find it and restart the gateway. mkdir never follows anything already there, chown -h
 * never follows a link swapped in meanwhile.
 */
export function workspaceMountPoint(configDir: string): RunAction {
  const path = `${configDir}/workspace`;
  return run(
    `create ${path} (the workspace volume's mount point) as uid ${CONTAINER_UID}, before Docker makes it root's`,
    ['sh', '-c', `mkdir -m 700 -- "$1" && chown -h ${CONTAINER_UID}:${CONTAINER_UID} -- "$1"`, 'sh', path],
    { skipIf: ['sh', '-c', '[ -e "$1" ] || [ -L "$1" ]', 'sh', path] },
  );
}

/** The units the guard protects: sshd always, tailscaled when Tailscale is the (or a) way in. */
export function guardedUnits(ctx: PlanContext): string[] {
  return [`${SSH_UNIT}.service`, ...(ctx.answers.tailscale.enabled ? ['tailscaled.service'] : [])];
}

export const guardDropInPath = (unit: string) => `/etc/systemd/system/${unit}.d/${GUARD_DROP_IN}`;

/**
 * The guard drop-ins, then (only when one changed) a daemon-reload, which applies CPUWeight and
 * MemoryMin to the running services. OOMScoreAdjust only applies when a service starts, and sshd
 * is never restarted here (DESIGN.md: reload only), so the running daemons' score is lowered in
 * place; never raised (sshd sets its listener to -1000 itself).
 */
export function hostGuard(ctx: PlanContext): Action[] {
  const units = guardedUnits(ctx);
  const lower = [
    'systemctl daemon-reload;',
    'for u in "$@"; do',
    'pid=$(systemctl show -p MainPID --value "$u") || continue;',
    '[ "${pid:-0}" -gt 0 ] || continue;',
    'cur=$(cat "/proc/$pid/oom_score_adj") || continue;',
    `[ "$cur" -le ${GUARD_OOM_SCORE_ADJ} ] || echo ${GUARD_OOM_SCORE_ADJ} 2>/dev/null >"/proc/$pid/oom_score_adj" ||`,
    `echo "$u: oom_score_adj stays $cur until its next start (no CAP_SYS_RESOURCE here)" >&2;`,
    'done',
  ].join(' ');
  return [
    ...units.flatMap((u) => {
      const dir = `/etc/systemd/system/${u}.d`;
      const text = renderServiceGuard(u);
      return [
        run(`create ${dir}`, ['install', '-d', '-m', '0755', dir], { skipIf: ['test', '-d', dir] }),
        write(guardDropInPath(u), text, {
          mode: 0o644,
          title: `${u} outlives the container: OOM score ${GUARD_OOM_SCORE_ADJ}, CPU weight, reserved memory`,
          skipIf: fileMatches(guardDropInPath(u), text, 0o644, 'root', 'root'),
        }),
      ];
    }),
    run(`reload systemd; lower the OOM score of the running ${units.join(' and ')} now`, ['sh', '-c', lower, 'sh', ...units], { when: 'changed' }),
  ];
}
