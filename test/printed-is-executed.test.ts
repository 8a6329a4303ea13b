// A dry run prints exactly what would run. For every action of every golden variant, this reads the
// command out of the printed plan text and compares it with the command line the ssh executor
// builds for it (src/exec/ssh-args.ts), for the same target:
//   run          printed line (and its skipIf)    ⇔ remoteCommand(argv, 'root') (the plan prints `umask 077` once, as root)
//   write        printed `install …` line         ⇔ the install line inside writeScript(w)
//   remote gate  printed `… || exit 1`            ⇔ remoteCommand(check.argv, 'root')
//   fresh-login  printed `#   ssh …` comment      ⇔ freshLoginArgs(target, …)
//   login-refused printed `#   ssh …` comment     ⇔ loginRefusedArgs(target, …)
// Heredoc bodies must be the redacted stdin or file content the executor sends.
import { describe, expect, it } from 'vitest';
import type { Answers } from '../src/answers/schema.js';
import type { Action, GateAction, Plan, RunAction, WriteAction } from '../src/plan/action.js';
import { deadmanProtocol } from '../src/plan/guard.js';
import { printPlan, type PrintOptions } from '../src/plan/print.js';
import { shJoin } from '../src/plan/shell.js';
import { redactText } from '../src/core/secret.js';
import { writeScript, WRITE_CHANGED } from '../src/exec/ssh-args.js';
import { freshLoginArgs, knownHostName, loginRefusedArgs, remoteCommand, type SshTarget } from '../src/plan/commands.js';
import { everyAction, fixture, planFor, VARIANTS } from './helpers.js';

const HOST = '203.0.113.10';

/** The target SshExecutor.connect builds for these answers (no HostKeyAlias in ~/.ssh/config). */
function executorTarget(a: Answers, o: PrintOptions): SshTarget {
  return {
    host: o.host,
    port: a.target.port,
    user: a.target.user,
    identityFile: o.identityFile,
    sshOptions: o.sshOptions ?? [],
    ...(o.knownHosts ? { knownHosts: o.knownHosts } : {}),
    hostKeyAlias: knownHostName(o.host, a.target.port),
  };
}

/** The executor's remote line for argv as root, without the `umask 077; ` the printed plan says once at the top. */
function executedAsRoot(argv: readonly string[]): string {
  const r = remoteCommand(argv, 'root');
  expect(r.startsWith('umask 077; ')).toBe(true);
  return r.slice('umask 077; '.length);
}

/** The install command the executor's write script runs (when the file differs). */
function executedWrite(w: WriteAction): string {
  const script = writeScript(w)[2];
  const m = new RegExp(`^  (.*) && echo ${WRITE_CHANGED}$`, 'm').exec(script);
  if (!m) throw new Error(`no install line in the write script for ${w.path}`);
  return m[1];
}

/**
 * Walks the printed plan in order and compares every action's printed command
 * with what the executor runs for `target`. Returns the mismatches (empty when
 * the printed plan is exactly what runs) and how many actions it compared.
 */
function compare(plan: Plan, text: string, target: SshTarget): { mismatches: string[]; checked: number } {
  const lines = text.split('\n');
  const mismatches: string[] = [];
  let at = 0;
  let checked = 0;
  const same = (what: string, printed: string | undefined, executed: string) => {
    if (printed !== executed) mismatches.push(`${what}\n  printed:  ${printed}\n  executed: ${executed}`);
  };
  /** The next line (from `at`) that passes `test`; moves past it. */
  const next = (what: string, test: (l: string) => boolean): number | null => {
    for (let i = at; i < lines.length; i++)
      if (test(lines[i])) {
        at = i + 1;
        return i;
      }
    mismatches.push(`${what}: not found in the printed plan`);
    return null;
  };
  /** A command line, followed by a heredoc when `body` is set; checks the body too. */
  const command = (what: string, indent: string, body: string | undefined): string | undefined => {
    const line = lines[at++];
    if (line === undefined || !line.startsWith(indent)) return line;
    const cmd = line.slice(indent.length);
    if (body === undefined) return cmd;
    const m = /^(.*) <<'(CLAW_EOF(?:_\d+)?)'$/.exec(cmd);
    if (!m) {
      mismatches.push(`${what}: no heredoc for its input`);
      return cmd;
    }
    const end = lines.indexOf(m[2], at);
    const printedBody = `${lines.slice(at, end).join('\n')}\n`;
    at = end + 1;
    const want = body.endsWith('\n') ? body : `${body}\n`;
    same(`${what}: input`, printedBody, want);
    if (!body.endsWith('\n')) same(`${what}: no trailing newline note`, lines[at++], '# (the content above has no trailing newline)');
    return m[1];
  };
  const skip = (what: string, skipIf: readonly string[]) => {
    const l = lines[at++];
    const m = /^\s*if ! \{ (.*); \} >\/dev\/null 2>&1; then$/.exec(l ?? '');
    same(`${what}: skipIf`, m?.[1] ?? l, executedAsRoot(skipIf));
  };

  const run = (a: RunAction) => {
    const what = `run "${a.title}"`;
    const head = `# ${a.title}${a.when === 'changed' ? ' (only when a file above changed)' : ''}`;
    if (next(what, (l) => l === head) === null) return;
    if (a.skipIf) skip(what, a.skipIf);
    same(what, command(what, a.skipIf ? '  ' : '', a.stdin ? redactText(a.stdin) : undefined), executedAsRoot(a.argv));
    checked++;
  };
  const write = (w: WriteAction) => {
    const what = `write ${w.path}`;
    if (next(what, (l) => l.startsWith(`# ${w.title} (mode `)) === null) return;
    if (w.skipIf) skip(what, w.skipIf);
    same(what, command(what, w.skipIf ? '  ' : '', redactText(w.content)), executedWrite(w));
    checked++;
  };
  const gate = (g: GateAction) => {
    const c = g.check;
    const what = `gate "${g.title}"`;
    if (next(what, (l) => /^# GATE \(.*?\): /.test(l) && l.replace(/^# GATE \(.*?\): /, '').startsWith(g.title)) === null) return;
    const printed = lines[at++] ?? '';
    if (c.type === 'remote') {
      same(what, printed.replace(/ \|\| exit 1$/, ''), executedAsRoot(c.argv));
    } else {
      const argv =
        c.type === 'fresh-login'
          ? freshLoginArgs(target, c.user, c.port, c.via === 'tailnet' ? '<tailscale-ip>' : target.host, c.sudo)
          : loginRefusedArgs(target, c.user, c.port, c.method);
      const executed = shJoin(argv);
      // a comment (it runs from the laptop), maybe with a note after two spaces
      same(what, printed.startsWith(`#   ${executed}  # `) ? `#   ${executed}` : printed, `#   ${executed}`);
    }
    checked++;
  };
  const visit = (a: Action) => {
    switch (a.kind) {
      case 'run':
        return run(a);
      case 'write':
        return write(a);
      case 'gate':
        return gate(a);
      case 'guarded': {
        if (next(`group ${a.id}`, (l) => l === `# ┌─ GUARDED: ${a.title}`) === null) return;
        if (a.skipIf) {
          const i = next(`group ${a.id} skipIf`, (l) => l.startsWith('# │ skipped whole when this passes: '));
          if (i !== null) same(`group ${a.id} skipIf`, lines[i].slice('# │ skipped whole when this passes: '.length), executedAsRoot(a.skipIf));
        }
        const dm = deadmanProtocol(a);
        [...dm.prepare, dm.arm, ...a.actions, ...a.gates, dm.disarm].forEach(visit);
        const i = next(`group ${a.id} restore`, (l) => l.startsWith('# │ if any of this fails: '));
        if (i !== null) same(`group ${a.id} restore`, lines[i].slice('# │ if any of this fails: '.length), executedAsRoot(dm.restore.argv));
        checked++;
      }
    }
  };
  for (const s of plan.steps) s.actions.forEach(visit);
  return { mismatches, checked };
}

/** How callers print today, and a target with every option set. */
const OPTIONS: [string, PrintOptions][] = [
  ['default print options', { host: HOST, identityFile: '~/.ssh/id_ed25519' }],
  [
    'known_hosts, ssh options, absolute key',
    { host: HOST, identityFile: '/home/me/.ssh/id_ed25519', knownHosts: '/home/me/kh', sshOptions: ['ServerAliveInterval=5', 'ProxyJump=jump@198.51.100.1'] },
  ],
];

describe('the printed plan is what runs', () => {
  for (const [label, o] of OPTIONS)
    it.for(VARIANTS)(`%s (${label}): every run, write and gate prints the command the executor runs`, (name) => {
      const answers = fixture(name);
      const { plan } = planFor(answers);
      const text = printPlan(plan, o);
      const target = executorTarget(answers, o);
      const { mismatches, checked } = compare(plan, text, target);
      expect(mismatches).toEqual([]);
      // every action the executor can be sent, guard setup, disarm and restore included
      expect(checked).toBe(everyAction(plan).length);
      const kinds = new Set(everyAction(plan).map((a) => (a.kind === 'gate' ? a.check.type : a.kind)));
      expect([...kinds].sort()).toEqual(['fresh-login', 'login-refused', 'remote', 'run', 'write']);
      // commands run as root with umask 077, as the executor's remoteCommand does
      expect(text).toMatch(/^umask 077$/m);
    });

  it('a printed gate that differs from the executed one is caught (the old password-refusal line)', () => {
    const answers = fixture('minimal');
    const { plan } = planFor(answers);
    const o = OPTIONS[0][1];
    const text = printPlan(plan, o);
    const old = `#   ${shJoin(['ssh', '-o', 'ControlMaster=no', '-o', 'ControlPath=none', '-o', 'PreferredAuthentications=password', '-o', 'NumberOfPasswordPrompts=0', '-p', '22', `deploy@${HOST}`, 'true'])}  # must be refused`;
    const lines = text.split('\n');
    const i = lines.findIndex((l) => l.startsWith('#   ssh ') && l.includes('PreferredAuthentications=password,keyboard-interactive'));
    expect(i).toBeGreaterThan(0);
    lines[i] = old;
    const { mismatches } = compare(plan, lines.join('\n'), executorTarget(answers, o));
    expect(mismatches).toHaveLength(1);
    expect(mismatches[0]).toMatch(/^gate "password login is refused/);
    // and a wrong target (another host key name) is caught on every laptop gate
    const wrong = compare(plan, text, { ...executorTarget(answers, o), hostKeyAlias: '[203.0.113.10]:2222' });
    expect(wrong.mismatches.length).toBeGreaterThan(0);
    expect(wrong.mismatches.every((m) => m.startsWith('gate '))).toBe(true);
  });
});
