import { run, type RunAction } from '../src/plan/action.js';
import { packagesInstalled } from '../src/plan/probes.js';

/** Shared command builders for steps: apt without prompts, idempotent installs. */
const APT_ENV = ['env', 'DEBIAN_FRONTEND=noninteractive', 'NEEDRESTART_MODE=a'];

/** Refreshes the package lists, unless the packages about to be installed are all there already. */
export function aptUpdate(pkgs: readonly string[], title = 'refresh package lists'): RunAction {
  return run(title, [...APT_ENV, 'apt-get', '-q', 'update'], { timeoutSec: 300, skipIf: packagesInstalled(pkgs) });
}

export function aptInstall(pkgs: readonly string[], title = `install ${pkgs.join(', ')}`): RunAction {
  return run(
    title,
    [
      ...APT_ENV,
      'apt-get',
      '-q',
      '-y',
      '-o',
      'Dpkg::Options::=--force-confdef',
      '-o',
      'Dpkg::Options::=--force-confold',
      'install',
      '--no-install-recommends',
      ...pkgs,
    ],
    { skipIf: packagesInstalled(pkgs), timeoutSec: 900 },
  );
}

/** Installs a repository signing key into a keyring file, once. */
export function fetchKey(url: string, keyring: string): RunAction[] {
  return [
    run('make the keyring directory', ['install', '-d', '-m', '0755', keyring.slice(0, keyring.lastIndexOf('/'))], {
      skipIf: ['test', '-d', keyring.slice(0, keyring.lastIndexOf('/'))],
    }),
    run(`fetch the signing key into ${keyring}`, ['curl', '-fsSL', '--proto', '=https', '--tlsv1.2', '-o', keyring, url], {
      skipIf: ['test', '-s', keyring],
      timeoutSec: 120,
    }),
    run('make the keyring readable by apt', ['chmod', '0644', keyring], {
      skipIf: ['sh', '-c', `[ "$(stat -c %a ${keyring})" = 644 ]`],
    }),
  ];
}

/** The sshd unit on Debian and Ubuntu. */
export const SSH_UNIT = 'ssh';
