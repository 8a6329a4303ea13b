import type { PlanContext } from '../src/plan/context.js';
import { run, write, type Step } from '../src/plan/action.js';
import { dockerAptSource, renderDockerDaemon } from '../templates/index.js';
import { aptInstall, aptUpdate, fetchKey } from './helpers.js';
import { unitEnabledAndActive } from '../src/plan/probes.js';

export const DOCKER_PACKAGES = ['docker-ce', 'docker-ce-cli', 'containerd.io', 'docker-buildx-plugin', 'docker-compose-plugin'];

/** Docker Engine from Docker's signed apt repo (never get.docker.com), with log rotation set before it starts. */
export function planDocker(ctx: PlanContext): Step | null {
  if (!ctx.answers.docker.install) return null;
  const src = dockerAptSource(ctx.facts.os);
  return {
    id: 'docker',
    title: 'Docker Engine',
    summary: [`docker-ce and the compose plugin from download.docker.com (${ctx.facts.os.id} ${ctx.facts.os.codename}), signed-by its key`],
    actions: [
      ...fetchKey(src.keyUrl, src.keyringPath),
      write(src.sourcePath, src.text, { mode: 0o644, title: "Docker's apt source (signed-by its keyring)" }),
      run('create /etc/docker', ['install', '-d', '-m', '0755', '/etc/docker'], { skipIf: ['test', '-d', '/etc/docker'] }),
      write(ctx.paths.dockerDaemon, renderDockerDaemon(), { mode: 0o644, title: 'Docker daemon settings (log rotation, live-restore, no-new-privileges)' }),
      aptUpdate(DOCKER_PACKAGES),
      aptInstall(DOCKER_PACKAGES, 'install Docker Engine and the compose plugin'),
      run('start Docker and enable it at boot', ['systemctl', 'enable', '--now', 'docker'], {
        skipIf: unitEnabledAndActive('docker'),
      }),
      run('apply daemon settings', ['systemctl', 'restart', 'docker'], { when: 'changed' }),
    ],
  };
}
