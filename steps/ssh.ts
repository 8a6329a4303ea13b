import type { PlanContext } from '../src/plan/context.js';
import { gate, run, write, type Argv, type Step } from '../src/plan/action.js';
import { fileMatches } from '../src/plan/probes.js';
import { renderSshdDropIn } from '../templates/index.js';
import { SSH_UNIT } from './helpers.js';

/**
 * The sshd reload. Never a restart. Under Ubuntu's socket activation a port
 * change lives in ssh.socket, so the socket is regenerated and restarted;
 * open sessions survive either way.
 */
export function sshdApply(ctx: PlanContext): Argv {
  const portChanges = ctx.answers.ssh.port !== ctx.loginPort;
  if (ctx.facts.sshSocket && portChanges) return ['sh', '-c', 'systemctl daemon-reload && systemctl restart ssh.socket && systemctl reload-or-restart ssh.service'];
  return ['systemctl', 'reload', SSH_UNIT];
}

/**
 * SSH tightening under a dead-man switch: a drop-in that sorts before
 * 50-cloud-init.conf (first value wins), `sshd -t`, reload, then from a fresh
 * connection the deploy key must work and root and password logins must fail.
 */
export function planSsh(ctx: PlanContext): Step {
  const a = ctx.answers;
  const p = ctx.paths;
  const name = a.deployUser.name;
  const text = renderSshdDropIn(a);
  const port = a.ssh.port;
  const apply = sshdApply(ctx);
  const expect = [
    'permitrootlogin no',
    'passwordauthentication no',
    'kbdinteractiveauthentication no',
    `port ${port}`,
    `allowusers ${name}`,
  ];
  return {
    id: 'ssh',
    title: 'SSH tightening (guarded)',
    summary: [
      `keys only, no root login, AllowUsers ${name}, port ${port}, MaxAuthTries ${a.ssh.maxAuthTries}, forwarding ${a.ssh.allowTcpForwarding}`,
      'drop-in 00-claw-setup.conf beats 50-cloud-init.conf; sshd -t, reload (never restart); auto-reverts in 180 s',
    ],
    actions: [
      {
        kind: 'guarded',
        id: 'ssh',
        title: 'tighten sshd',
        backup: [p.sshdDropIn],
        afterRestore: [`sshd -t && ${apply[0] === 'sh' ? apply[2] : apply.join(' ')}`],
        timeoutSec: 180,
        skipIf: fileMatches(p.sshdDropIn, text, 0o644, 'root', 'root'),
        actions: [
          write(p.sshdDropIn, text, { mode: 0o644, title: 'sshd drop-in (sorts before 50-cloud-init.conf)' }),
          run('check the new sshd config (nothing is reloaded if this fails)', ['sshd', '-t']),
          run('reload sshd (open sessions stay up)', apply),
        ],
        gates: [
          gate(`log in as ${name} on port ${port} from a fresh connection, then sudo`, {
            type: 'fresh-login', user: name, port, via: 'public', sudo: true,
          }),
          gate('sshd reports the hardened values', {
            type: 'remote',
            argv: ['sh', '-c', `c=$(sshd -T -C user=${name},host=localhost,addr=127.0.0.1) && ${expect.map((e) => `echo "$c" | grep -qx '${e}'`).join(' && ')}`],
          }),
          gate('root login is refused from outside', { type: 'login-refused', user: 'root', port, method: 'publickey' }),
          gate('password login is refused from outside', { type: 'login-refused', user: name, port, method: 'password' }),
        ],
      },
    ],
  };
}
