import type { Answers } from '../answers/schema.js';
import type { Argv, GateAction, GuardedGroup, Plan } from '../plan/action.js';
import { freshLoginArgs, laptopGateArgs, type SshTarget } from '../plan/commands.js';
import { gateBudgetSec } from '../plan/guard.js';
import { jinjaString, OPERATOR_VAR } from './text.js';

/**
 * Gates and the connection, in Ansible: a laptop gate is the exact ssh command
 * line the executor runs (src/plan/commands.ts), run on the control node
 * (`delegate_to: localhost`) as a brand-new ssh process without multiplexing,
 * never through Ansible's own persistent connection.
 */

export type Task = Record<string, unknown>;

/** Markers for inventory values inside an argv built by commands.ts; replaced by Jinja after quoting the rest. */
const VAR = {
  host: '\u0000host\u0000',
  key: '\u0000key\u0000',
  knownHosts: '\u0000kh\u0000',
  alias: '\u0000alias\u0000',
  address: '\u0000address\u0000',
} as const;
const JINJA_OF: Record<string, string> = {
  [VAR.host]: '{{ ansible_host | default(inventory_hostname) }}',
  [VAR.key]: '{{ claw_identity_file }}',
  [VAR.knownHosts]: '{{ claw_known_hosts }}',
  [VAR.alias]: '{{ claw_host_key_alias }}',
};

/** The control node's view of one inventory host: what the executor's SshTarget holds, as inventory variables. */
function inventoryTarget(a: Answers): SshTarget {
  return {
    host: VAR.host,
    port: a.target.port,
    user: a.target.user,
    identityFile: VAR.key,
    sshOptions: [],
    knownHosts: VAR.knownHosts,
    hostKeyAlias: VAR.alias,
  };
}

/** argv from the command builder, with the inventory markers turned into Jinja and everything else kept literal. */
function controlArgv(argv: Argv, address?: string): string[] {
  return argv.map((w) => {
    let out = jinjaString(w);
    for (const [m, j] of Object.entries(JINJA_OF)) out = out.split(m).join(j);
    if (address) out = out.split(VAR.address).join(address);
    return out;
  });
}

/** Runs on the control node, as the operator, never through Ansible's connection to the host. */
const onControlNode = { delegate_to: 'localhost', become: false } as const;

/** Executor semantics of "login refused" (src/exec/ssh.ts loginRefused) as an Ansible failed_when. */
function refusedJudge(reg: string, method: 'publickey' | 'password'): string[] {
  if (method === 'publickey') return [`${reg}.rc == 0`, `'Permission denied' not in ${reg}.stderr`];
  const offered = `(${reg}.stderr | regex_findall('(?:Authentications that can continue: |Permission denied \\()([\\w,@.-]+)'))`;
  return [`${reg}.rc == 0`, `${offered} | length == 0`, `(${offered} | last).split(',') | intersect(['password', 'keyboard-interactive']) | length > 0`];
}

/**
 * One gate as tasks. Remote gates run on the host (retried as the plan says);
 * fresh-login and login-refused gates run from the control node. Gates are
 * skipped in --check mode: nothing before them ran.
 */
export function gateTasks(g: GateAction, a: Answers, reg: string, sudoVault: string): Task[] {
  const c = g.check;
  const base = { register: reg, changed_when: false, when: 'not ansible_check_mode', timeout: gateBudgetSec(c) };
  if (c.type === 'remote') {
    const retry = c.retries ? { until: `${reg}.rc == 0`, retries: c.retries, delay: c.delaySec ?? 1 } : {};
    return [{ name: `Gate: ${g.title}`, 'ansible.builtin.command': { argv: controlArgv(c.argv) }, ...base, ...retry }];
  }
  const target = inventoryTarget(a);
  const pre: Task[] = [];
  let address: string | undefined;
  if (c.type === 'fresh-login' && c.via === 'tailnet') {
    const ip = `${reg}_tailnet_ip`;
    pre.push({
      name: `Gate: the host's tailnet address for "${g.title}"`,
      'ansible.builtin.command': { argv: ['tailscale', 'ip', '-4'] },
      register: ip,
      changed_when: false,
      when: 'not ansible_check_mode',
    });
    address = `{{ ${ip}.stdout_lines | select('match', '^100[.]') | first }}`;
  }
  const argv = controlArgv(laptopGateArgs(target, c, address ? VAR.address : undefined), address);
  const sudo = c.type === 'fresh-login' && c.sudo;
  const cmd = { argv, ...(sudo ? { stdin: `{{ ${sudoVault} }}`, stdin_add_newline: true } : {}) };
  const judge = c.type === 'login-refused' ? { failed_when: refusedJudge(reg, c.method) } : { until: `${reg}.rc == 0`, retries: 3, delay: 3 };
  return [
    ...pre,
    {
      name: `Gate (fresh connection from the control node): ${g.title}`,
      'ansible.builtin.command': cmd,
      ...onControlNode,
      ...base,
      ...judge,
      ...(sudo ? { no_log: true } : {}),
    },
  ];
}

/** The way in the plan ends with: its last public fresh-login gate that also checks sudo (the deploy user, on the final port). */
export function finalWayIn(plan: Plan): { user: string; port: number } | null {
  let found: { user: string; port: number } | null = null;
  for (const s of plan.steps)
    for (const a of s.actions)
      for (const g of a.kind === 'guarded' ? a.gates : a.kind === 'gate' ? [a] : [])
        if (g.check.type === 'fresh-login' && g.check.via === 'public' && g.check.sudo) found = { user: g.check.user, port: g.check.port };
  return found;
}

/** Connection variables for logging in as `user` on `port` and becoming root with the sudo password. */
function continueAs(user: string, port: number, sudoVault: string): Record<string, unknown> {
  return {
    ansible_user: user,
    ansible_port: port,
    // Not ansible_become: as a variable it would override `become: false` on the control-node tasks.
    claw_become: true,
    ansible_become_password: `{{ ${sudoVault} }}`,
  };
}

/**
 * After a guarded group whose gates proved a fresh login with sudo: the rest
 * of the run goes through that way in (as the runner's rerun does), not
 * through a connection opened before the change. Skipped in --check mode,
 * where the group did not run.
 */
export function switchAfterGroup(g: GuardedGroup, sudoVault: string): Task[] {
  const proven = g.gates.find((x) => x.check.type === 'fresh-login' && x.check.via === 'public' && x.check.sudo);
  if (!proven || proven.check.type !== 'fresh-login') return [];
  const { user, port } = proven.check;
  return [
    {
      name: `Continue as ${user} on port ${port} with sudo (the way in the gates of "${g.id}" just proved)`,
      'ansible.builtin.set_fact': continueAs(user, port, sudoVault),
      when: 'not ansible_check_mode',
      no_log: true,
    },
    { name: `Reconnect through the proven way in`, 'ansible.builtin.meta': 'reset_connection' },
  ];
}

/**
 * The connection, first: the admin login (root) as the answers give it; when a
 * fresh login there is refused (an earlier run turned root login off), the
 * final way in with sudo, as the CLI falls back on a rerun. Then the
 * break-glass address, when the answers say "auto": the address the host sees
 * this control node connect from (SSH_CONNECTION), as the CLI detects it.
 */
export function connectTasks(plan: Plan, a: Answers, sudoVault: string, needsOperatorIp: boolean): Task[] {
  const tasks: Task[] = [];
  const way = finalWayIn(plan);
  if (way && way.user !== a.target.user) {
    const argv = controlArgv(freshLoginArgs(inventoryTarget(a), a.target.user, a.target.port, VAR.host, false));
    tasks.push(
      {
        name: `Connect: can ${a.target.user} still log in on port ${a.target.port}? (fresh connection from the control node)`,
        'ansible.builtin.command': { argv },
        ...onControlNode,
        register: 'claw_admin_login',
        changed_when: false,
        failed_when: false,
        check_mode: false,
        timeout: 60,
      },
      {
        name: `Connect as ${way.user} on port ${way.port} with sudo (${a.target.user} login is off: done by an earlier run)`,
        'ansible.builtin.set_fact': continueAs(way.user, way.port, sudoVault),
        when: 'claw_admin_login.rc != 0',
        no_log: true,
      },
    );
  }
  if (needsOperatorIp)
    tasks.push(
      {
        name: 'Connect: the address this control node connects from, as the host sees it (break-glass rule, fail2ban ignoreip)',
        'ansible.builtin.command': { argv: ['printenv', 'SSH_CONNECTION'] },
        become: false,
        register: 'claw_ssh_connection',
        changed_when: false,
        check_mode: false,
        when: `${OPERATOR_VAR} is not defined`,
      },
      {
        name: 'Connect: keep that address for the break-glass rule',
        'ansible.builtin.set_fact': { [OPERATOR_VAR]: '{{ claw_ssh_connection.stdout.split()[0] }}' },
        when: `${OPERATOR_VAR} is not defined`,
      },
    );
  return tasks.length ? tasks : [{ name: 'Connect', 'ansible.builtin.meta': 'noop' }];
}
