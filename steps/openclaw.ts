import type { PlanContext } from '../src/plan/context.js';
import { gate, run, write, type Argv, type Step } from '../src/plan/action.js';
import { renderCompose } from '../templates/compose.js';
import { renderEnvFile } from '../templates/env-file.js';
import { renderOpenclawJson } from '../templates/openclaw-json.js';
import { imageRef } from '../templates/compose.js';
import { privateDirOwnedBy } from '../src/plan/probes.js';
import type { ServerPaths } from '../src/plan/paths.js';
import { CONTAINER_UID } from '../templates/gateway-shared.js';
import { containerAccount, hostGuard, migrateToContainerUid, workspaceMountPoint } from './room.js';
import { driftLine } from '../src/plan/drift.js';
import { configDrift } from './openclaw-drift.js';

/** The container's own uid (not the deploy user's): defined beside the compose file that uses it. */
export { CONTAINER_UID };

export function composeArgv(ctx: { paths: Pick<ServerPaths, 'composeDir' | 'compose'> }, ...args: string[]): Argv {
  return ['docker', 'compose', '--project-directory', ctx.paths.composeDir, '-f', ctx.paths.compose, ...args];
}

/**
 * OpenClaw's files and the container. sshd (and tailscaled) are guarded first, so the
 * container can never starve the way in. The .env is created with mode 600 before any
 * byte is written; the config and workspace directories belong to the container's own
 * uid (a host account of its own, mode 700); the config is validated by OpenClaw
 * itself before the gateway starts, and the gateway must answer /healthz afterwards.
 */
export function planOpenclaw(ctx: PlanContext): Step {
  const a = ctx.answers;
  const p = ctx.paths;
  const user = a.deployUser.name;
  const dir = (path: string, owner: string, title: string) =>
    run(title, ['install', '-d', '-m', '0700', '-o', owner, '-g', owner, path], {
      skipIf: privateDirOwnedBy(path, owner),
    });
  return {
    id: 'openclaw',
    title: `OpenClaw ${a.openclaw.version}`,
    summary: [
      `${a.openclaw.image}:${a.openclaw.version} on 127.0.0.1:${a.openclaw.gatewayPort} only; token auth; ${a.openclaw.channels.length} channel(s); ${a.openclaw.tools.deny.length} tools denied`,
      `files in ${p.composeDir} (.env and openclaw.json mode 600)`,
      `the container runs as its own uid ${CONTAINER_UID} on a read-only root, capped at ${a.openclaw.memoryLimit} / ${a.openclaw.pidsLimit} processes / ${a.openclaw.cpus} CPU; web terminal ${a.openclaw.terminal ? 'ON (risky)' : 'off'}; sshd guarded against it`,
      // A rerun sets keys changed on the server back to the answers' values: said here, never silently.
      ...configDrift(ctx).map((d) => `${driftLine(d)} (this run sets it back)`),
    ],
    actions: [
      ...hostGuard(ctx),
      containerAccount(),
      dir(p.composeDir, user, `create ${p.composeDir} (owner ${user}, 700)`),
      dir(p.configDir, CONTAINER_UID, `create ${p.configDir} (uid ${CONTAINER_UID}, 700)`),
      dir(p.workspaceDir, CONTAINER_UID, `create ${p.workspaceDir} (uid ${CONTAINER_UID}, 700)`),
      migrateToContainerUid(p.configDir),
      migrateToContainerUid(p.workspaceDir),
      workspaceMountPoint(p.configDir),
      write(p.env, renderEnvFile(a, ctx.secrets, ctx.deployed?.envKept, ctx.deployed?.envOrder), {
        mode: 0o600,
        owner: user,
        title: 'secrets for the container (.env, mode 600)',
      }),
      run(
        'record when the gateway token was made (the audit warns when it is old; claw-setup rotate renews it)',
        ['sh', '-c', 'install -d -m 700 "${1%/*}" && date -u +%Y-%m-%dT%H:%M:%SZ >"$1"', 'sh', p.tokenStamp],
        { skipIf: ['test', '-e', p.tokenStamp] },
      ),
      write(p.compose, renderCompose(a), { mode: 0o600, owner: user, title: 'docker-compose.yml (ports on 127.0.0.1 only)' }),
      write(p.config, renderOpenclawJson(a, ctx.deployed?.configText), { mode: 0o600, owner: CONTAINER_UID, title: 'openclaw.json' }),
      run(`pull ${imageRef(a)}`, composeArgv(ctx, 'pull', '--quiet'), {
        timeoutSec: 1200,
        skipIf: ['docker', 'image', 'inspect', '--format', '{{.Id}}', imageRef(a)],
      }),
      gate('OpenClaw accepts the config (its own validator)', {
        type: 'remote',
        argv: composeArgv(ctx, 'run', '--rm', '--no-deps', '-T', 'openclaw-gateway', 'node', 'dist/index.js', 'config', 'validate'),
        // A one-off container (3-5 s): a rerun that changed nothing keeps the last run's answer.
        onlyAfterChange: true,
        // Node's start-up on one capped CPU (openclaw.cpus) took 19 s on a busy machine: 20 s was too tight.
        timeoutSec: 90,
      }),
      run('(re)create the gateway with the new files', composeArgv(ctx, 'up', '-d', '--force-recreate', '--remove-orphans'), {
        timeoutSec: 300,
        when: 'changed',
      }),
      run('start the gateway if it is not running', composeArgv(ctx, 'up', '-d'), {
        skipIf: ['sh', '-c', `${composeArgv(ctx, 'ps', '--status', 'running', '--quiet', 'openclaw-gateway').join(' ')} | grep -q .`],
        timeoutSec: 300,
      }),
      gate('the gateway answers /healthz on 127.0.0.1', {
        type: 'remote',
        // One quick try per round trip, not the waiting loop of waitHealthyArgv: a rollout's batched
        // checks (src/rollout/probe-batch.ts) ask this gate too, before the gateway exists, and a
        // loop there held the whole batch for its full two minutes.
        argv: ['curl', '-fsS', '--max-time', '5', '-o', '/dev/null', `http://127.0.0.1:${a.openclaw.gatewayPort}/healthz`],
        // Up to ~2 min: the gateway's start on one capped CPU took 95 s on a test machine at load 16.
        retries: 60,
        delaySec: 2,
      }),
    ],
  };
}
