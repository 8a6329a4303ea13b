import type { PlanContext } from '../src/plan/context.js';
import { run, write, type Step } from '../src/plan/action.js';
import { secretText } from '../src/core/secret.js';
import { privateDirOwnedBy } from '../src/plan/probes.js';

/** The deploy user: own group, sudo membership with a password, the operator's keys. */
export function planUser(ctx: PlanContext): Step {
  const name = ctx.answers.deployUser.name;
  const p = ctx.paths;
  return {
    id: 'user',
    title: `Deploy user "${name}"`,
    summary: [`creates ${name} with sudo (password required) and ${ctx.keys.length} authorized key(s)`],
    actions: [
      run(`create user ${name}`, ['useradd', '--create-home', '--user-group', '--shell', '/bin/bash', name], {
        skipIf: ['id', '-u', name],
      }),
      run(`add ${name} to the sudo group`, ['usermod', '-aG', 'sudo', name], {
        skipIf: ['sh', '-c', `id -nG ${name} | tr ' ' '\\n' | grep -qx sudo`],
      }),
      run(`set ${name}'s sudo password (on stdin, never in argv)`, ['chpasswd'], {
        stdin: secretText`${name}:${ctx.secrets.sudoPassword}\n`,
        skipIf: ['sh', '-c', `passwd -S ${name} | awk '{ exit ($2 == "P") ? 0 : 1 }'`],
      }),
      run(`create ${p.sshDir}`, ['install', '-d', '-m', '0700', '-o', name, '-g', name, p.sshDir], {
        skipIf: privateDirOwnedBy(p.sshDir, name),
      }),
      write(p.authorizedKeys, ctx.keys.map((k) => `${k}\n`).join(''), {
        mode: 0o600,
        owner: name,
        group: name,
        title: `authorized keys for ${name}`,
      }),
    ],
  };
}
