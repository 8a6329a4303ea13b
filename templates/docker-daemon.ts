/**
 * /etc/docker/daemon.json.
 * - json-file logs capped at 10 MB x 3 per container, so logs never fill the disk.
 * - live-restore: containers keep running while dockerd restarts (unattended
 *   upgrades of docker-ce restart it).
 * - no-new-privileges for every container, not only the ones whose compose file says so.
 * - icc false: containers on the default bridge cannot talk to each other. It
 *   only affects docker0; the gateway runs on its own compose network.
 * The userland proxy stays on (the default): it is what makes 127.0.0.1-published
 * ports reach the container from the compose network's gateway address, the one
 * address openclaw.json trusts as a proxy.
 */
export function renderDockerDaemon(): string {
  const config = {
    'log-driver': 'json-file',
    'log-opts': { 'max-size': '10m', 'max-file': '3' },
    'live-restore': true,
    'no-new-privileges': true,
    icc: false,
  };
  return `${JSON.stringify(config, null, 2)}\n`;
}
