import type { PlanContext } from '../src/plan/context.js';
import { gate, run, type RunAction, type Step } from '../src/plan/action.js';
import { guarded } from '../src/plan/guard.js';

/** ufw's state lives in these; the dead-man switch restores them. */
export const UFW_FILES = ['/etc/ufw', '/etc/default/ufw'];
export const UFW_AFTER_RESTORE = ['if grep -q "^ENABLED=yes" /etc/ufw/ufw.conf; then ufw --force reload; else ufw --force disable; fi'];

/** SSH ports that must stay reachable: the one we came in on, and the one sshd will use. */
export function sshPorts(ctx: PlanContext): number[] {
  return [...new Set([ctx.loginPort, ctx.answers.ssh.port])];
}

/**
 * Default-deny firewall. The break-glass rule for the operator's address and
 * the SSH allow rules go in before `ufw enable`, the whole group runs under a
 * dead-man switch, and a fresh login must pass before it is disarmed.
 */
export function planFirewall(ctx: PlanContext): Step {
  const a = ctx.answers;
  const ports = sshPorts(ctx);
  const rules: RunAction[] = [
    run('deny incoming by default', ['ufw', 'default', 'deny', 'incoming']),
    run('allow outgoing by default', ['ufw', 'default', 'allow', 'outgoing']),
    ...ports.map((port) =>
      run(`break-glass: always let ${ctx.operatorIp} reach SSH on ${port}`, [
        'ufw',
        'allow',
        'proto',
        'tcp',
        'from',
        ctx.operatorIp,
        'to',
        'any',
        'port',
        String(port),
        'comment',
        'claw-setup break-glass',
      ]),
    ),
    ...ports.map((port) => run(`allow SSH on ${port} (rate-limited)`, ['ufw', 'limit', `${port}/tcp`, 'comment', 'claw-setup ssh'])),
  ];
  const group = guarded({
    id: 'firewall',
    title: 'turn on the firewall',
    backup: UFW_FILES,
    afterRestore: UFW_AFTER_RESTORE,
    skipIf: [
      'sh',
      '-c',
      `ufw status verbose | grep -q '^Status: active' && ufw status verbose | grep -q 'deny (incoming)' && ${ports
        .map((p) => `ufw show added | grep -qF -- '${p}' `)
        .join('&& ')}&& ufw show added | grep -qF -- ${JSON.stringify(`from ${ctx.operatorIp}`)}`,
    ],
    actions: [...rules, run('enable ufw', ['ufw', '--force', 'enable'])],
    gates: [
      gate(`log in as ${a.deployUser.name} from a fresh connection through the firewall`, {
        type: 'fresh-login',
        user: a.deployUser.name,
        port: ctx.loginPort,
        via: 'public',
        sudo: false,
      }),
    ],
  });
  return {
    id: 'firewall',
    title: 'Firewall (guarded)',
    summary: [
      `ufw: deny incoming, allow SSH ${ports.join(', ')}/tcp (rate-limited) and always from ${ctx.operatorIp} (break-glass)`,
      `auto-reverts in ${group.timeoutSec} s unless a fresh login passes`,
    ],
    actions: [group],
  };
}
