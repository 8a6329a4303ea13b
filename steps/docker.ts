import type { PlanContext } from '../src/plan/context.js';
import { run, write, type Step } from '../src/plan/action.js';
import { dockerAptSource } from '../templates/apt-source.js';
import { renderDockerDaemon } from '../templates/docker-daemon.js';
import { aptInstall, aptUpdate, fetchKey } from './helpers.js';
import { unitEnabledAndActive } from '../src/plan/probes.js';
import { osRelease } from '../src/plan/facts.js';
import { UserError } from '../src/core/errors.js';

export const DOCKER_PACKAGES = ['docker-ce', 'docker-ce-cli', 'containerd.io', 'docker-buildx-plugin', 'docker-compose-plugin'];

/**
 * Docker Engine with the compose v2 plugin, log rotation set before it starts:
 * from Docker's signed apt repo (never get.docker.com), or with
 * `packages.source: "distro"` the OS's own docker.io and compose v2 (which get
 * the distro's security updates).
 */
export function planDocker(ctx: PlanContext): Step | null {
  if (!ctx.answers.docker.install) return null;
  const os = ctx.facts.os;
  const distro = ctx.answers.packages.source === 'distro';
  const pkgs = distro ? distroPackages(ctx, 'docker') : DOCKER_PACKAGES;
  const src = dockerAptSource(os);
  return {
    id: 'docker',
    title: 'Docker Engine',
    summary: [
      distro
        ? `${pkgs.join(', ')} from ${os.pretty}'s own repositories (packages.source: distro)`
        : `docker-ce and the compose plugin from download.docker.com (${os.id} ${os.codename}), signed-by its key`,
    ],
    actions: [
      ...(distro
        ? []
        : [...fetchKey(src.keyUrl, src.keyringPath), write(src.sourcePath, src.text, { mode: 0o644, title: "Docker's apt source (signed-by its keyring)" })]),
      run('create /etc/docker', ['install', '-d', '-m', '0755', '/etc/docker'], { skipIf: ['test', '-d', '/etc/docker'] }),
      write(ctx.paths.dockerDaemon, renderDockerDaemon(), { mode: 0o644, title: 'Docker daemon settings (log rotation, live-restore, no-new-privileges)' }),
      aptUpdate(pkgs),
      aptInstall(pkgs, 'install Docker Engine and the compose plugin'),
      run('start Docker and enable it at boot', ['systemctl', 'enable', '--now', 'docker'], {
        skipIf: unitEnabledAndActive('docker'),
      }),
      run('apply daemon settings', ['systemctl', 'restart', 'docker'], { when: 'changed' }),
    ],
  };
}

/**
 * The OS's own packages for `what`, or a UserError before any plan exists
 * when this release has none that will do (Debian 12's docker.io has no
 * compose v2; Ubuntu 22.04 has no caddy).
 */
export function distroPackages(ctx: PlanContext, what: 'docker' | 'caddy'): string[] {
  const os = ctx.facts.os;
  const pkgs = osRelease(os).distro[what];
  if (!pkgs) {
    const why = what === 'docker' ? 'has no Docker compose v2 package (its docker.io is 20.10 with compose v1 only)' : 'has no caddy package';
    throw new UserError(
      `packages.source "distro" cannot be used on ${os.pretty}: it ${why}`,
      `use packages.source: "upstream" (the vendor's signed repository)${what === 'docker' ? ', or a newer release (Debian 13, Ubuntu 24.04)' : ''}`,
    );
  }
  return [...pkgs];
}
