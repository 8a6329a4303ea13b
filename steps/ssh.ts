import type { PlanContext } from '../src/plan/context.js';
import { gate, run, write, type Argv, type RunAction, type Step } from '../src/plan/action.js';
import { fileMatches } from '../src/plan/probes.js';
import { guarded } from '../src/plan/guard.js';
import { renderSshdDropIn } from '../templates/sshd-drop-in.js';
import { SSH_UNIT } from './helpers.js';
import { sshHostAfter, tailnetOnlyGroup } from './tailscale.js';
import { oldPortGroup } from './ssh-old-port.js';

/**
 * The sshd reload. Never a restart. Under Ubuntu's socket activation a port
 * change lives in ssh.socket, so the socket is regenerated and restarted;
 * open sessions survive either way.
 */
export function sshdApply(ctx: PlanContext): Argv {
  const portChanges = ctx.answers.ssh.port !== ctx.loginPort;
  if (ctx.facts.sshSocket && portChanges)
    return ['sh', '-c', 'systemctl daemon-reload && systemctl restart ssh.socket && systemctl reload-or-restart ssh.service'];
  return ['systemctl', 'reload', SSH_UNIT];
}

/** OpenSSH's Diffie-Hellman group-exchange moduli (a conffile of openssh-server). */
export const MODULI = '/etc/ssh/moduli';

/**
 * Drops the group-exchange moduli under 3072 bits from `path`. A line is
 * "time type tests tries size generator modulus", and size is bits - 1 (3071 =
 * 3072 bits). Replaced atomically with the same mode and owner; comments stay.
 * Skipped when no small modulus is left, and also when no big one would be: the
 * file is never left without moduli (sshd would fall back to its fixed groups).
 * The path is the last argument, so the tests run the very same command on a copy.
 */
export function filterModuli(path: string = MODULI): RunAction {
  const counts = `!/^#/ && NF >= 7 { if ($5 + 0 < 3071) small++; else big++ }`;
  return run(
    `drop Diffie-Hellman moduli under 3072 bits from ${path}`,
    [
      'sh',
      '-c',
      [
        'set -eu; f=$1; t=$(mktemp "$f.XXXXXX"); trap \'rm -f "$t"\' EXIT;',
        `awk '/^#/ || $5 + 0 >= 3071' "$f" > "$t";`,
        `if awk '!/^#/ && NF >= 7 { n++ } END { exit n ? 0 : 1 }' "$t";`,
        'then chmod --reference="$f" "$t" && chown --reference="$f" "$t" && mv -f "$t" "$f";',
        'else echo "$f: no modulus of 3072 bits or more, left as it is" >&2; fi',
      ].join(' '),
      'sh',
      path,
    ],
    { skipIf: ['sh', '-c', `[ ! -f "$1" ] || ! awk '${counts} END { exit small && big ? 0 : 1 }' "$1"`, 'sh', path] },
  );
}

/**
 * SSH tightening under a dead-man switch: a drop-in that sorts before
 * 50-cloud-init.conf (first value wins), `sshd -t`, reload, then from a fresh
 * connection the deploy key must work and root and password logins must fail.
 */
export function planSsh(ctx: PlanContext, host: string): Step {
  const a = ctx.answers;
  const p = ctx.paths;
  const name = a.deployUser.name;
  const text = renderSshdDropIn(a);
  const port = a.ssh.port;
  const apply = sshdApply(ctx);
  const expect = ['permitrootlogin no', 'passwordauthentication no', 'kbdinteractiveauthentication no', `port ${port}`, `allowusers ${name}`];
  const group = guarded({
    id: 'ssh',
    title: 'tighten sshd',
    backup: [p.sshdDropIn, MODULI],
    afterRestore: [`sshd -t && ${apply[0] === 'sh' ? apply[2] : apply.join(' ')}`],
    skipIf: fileMatches(p.sshdDropIn, text, 0o644, 'root', 'root'),
    actions: [
      write(p.sshdDropIn, text, { mode: 0o644, title: 'sshd drop-in (sorts before 50-cloud-init.conf)' }),
      filterModuli(),
      run('check the new sshd config (nothing is reloaded if this fails)', ['sshd', '-t']),
      run('reload sshd (open sessions stay up)', apply),
    ],
    gates: [
      gate(`log in as ${name} on port ${port} from a fresh connection, then sudo`, {
        type: 'fresh-login',
        user: name,
        port,
        via: 'public',
        sudo: true,
      }),
      gate('sshd reports the hardened values', {
        type: 'remote',
        argv: ['sh', '-c', `c=$(sshd -T -C user=${name},host=localhost,addr=127.0.0.1) && ${expect.map((e) => `echo "$c" | grep -qx '${e}'`).join(' && ')}`],
      }),
      gate('root login is refused from outside', { type: 'login-refused', user: 'root', port, method: 'publickey' }),
      gate('password login is refused from outside', { type: 'login-refused', user: name, port, method: 'password' }),
    ],
  });
  const tailnet = tailnetOnlyGroup(ctx);
  // After a port move the old port's rules go, once the new port is proven (steps/ssh-old-port.ts).
  const oldPort = oldPortGroup(ctx);
  return {
    id: 'ssh',
    title: 'SSH tightening (guarded)',
    summary: [
      `keys only, no root login, AllowUsers ${name}, port ${port}, MaxAuthTries ${a.ssh.maxAuthTries}, forwarding ${a.ssh.allowTcpForwarding}; no NIST-curve, SHA-1 or 64-bit-tag algorithms, no DH moduli under 3072 bits`,
      `drop-in 00-claw-setup.conf beats 50-cloud-init.conf; sshd -t, reload (never restart); auto-reverts in ${group.timeoutSec} s`,
    ],
    actions: [group, ...(tailnet ? [tailnet] : []), ...(oldPort ? [oldPort] : [])],
    next: [
      {
        kind: 'login',
        text: 'log in from now on with',
        command: `ssh -p ${port} ${name}@${sshHostAfter(ctx, host)}`,
        aside:
          sshHostAfter(ctx, host) === host
            ? '(root and password logins are off)'
            : '(over your tailnet, by its MagicDNS name; root and password logins are off)',
      },
    ],
  };
}
