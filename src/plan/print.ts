import { nextStepLine, type Action, type GateAction, type Plan, type RunAction, type Step, type WriteAction } from './action.js';
import { deadmanProtocol } from './guard.js';
import { redactText } from '../core/secret.js';
import { AUTO_OPERATOR_IP } from './context.js';
import { heredocTag, shJoin } from './shell.js';
import { CLAW_WRITE, knownHostName, laptopGateArgs, runCommand, TAILNET_ADDRESS, writeCommand, type SshTarget } from './commands.js';

/**
 * The dry-run printer: renders a plan as a bash script a person can review.
 * Secrets print as <secret:NAME>. The review screen shows the same text.
 * Gates run from the laptop, so they print as comments with their exact check.
 * Every command it prints comes from the builder the executor runs
 * (./commands.ts), so what you review is what runs.
 */
export interface PrintOptions {
  /** The host the gates connect to (answers' target.host). */
  host: string;
  /** The operator's private key, as given (ssh expands a leading "~" in -i itself). */
  identityFile: string;
  /**
   * The port of the admin connection (answers' target.port). It only names the
   * host key (HostKeyAlias): each gate connects to the port in its own check.
   * Default: the port of the plan's first laptop gate (where sshd listens when the run starts).
   */
  port?: number;
  /** The admin login user. No printed command names it (gates log in as their own user). Default "root". */
  user?: string;
  /** The name the host key is pinned under. Default "host" on port 22, "[host]:port" otherwise, as the executor pins it. */
  hostKeyAlias?: string;
  /** --known-hosts FILE. Default none: ssh uses the known_hosts files from ~/.ssh/config. */
  knownHosts?: string;
  /** --ssh-option values. Default none. */
  sshOptions?: readonly string[];
}

const octal = (mode: number) => mode.toString(8).padStart(4, '0');

/** The target the executor would connect with, as far as the printer knows it. `port` is used when the options name none. */
export function printTarget(o: PrintOptions, port = 22): SshTarget {
  const p = o.port ?? port;
  return {
    host: o.host,
    port: p,
    user: o.user ?? 'root',
    identityFile: o.identityFile,
    sshOptions: o.sshOptions ?? [],
    ...(o.knownHosts ? { knownHosts: o.knownHosts } : {}),
    hostKeyAlias: o.hostKeyAlias ?? knownHostName(o.host, p),
  };
}

/** The port of the first gate that connects from the laptop: where sshd listens when the run starts. */
function firstLaptopPort(plan: Plan): number | undefined {
  for (const s of plan.steps)
    for (const a of s.actions)
      for (const g of a.kind === 'guarded' ? a.gates : a.kind === 'gate' ? [a] : []) if (g.check.type !== 'remote') return g.check.port;
  return undefined;
}

function heredoc(cmd: string, body: string): string[] {
  const text = body.endsWith('\n') ? body : `${body}\n`;
  const tag = heredocTag(text);
  const lines = [`${cmd} <<'${tag}'`, ...text.slice(0, -1).split('\n'), tag];
  if (!body.endsWith('\n')) lines.push('# (the content above has no trailing newline)');
  return lines;
}

function printRun(a: RunAction, indent = ''): string[] {
  const cmd = runCommand(a.argv);
  const body = a.stdin ? heredoc(cmd, redactText(a.stdin)) : [cmd];
  const out = [`${indent}# ${a.title}${a.when === 'changed' ? ' (only when a file above changed)' : ''}`];
  if (a.skipIf) {
    out.push(`${indent}if ! { ${runCommand(a.skipIf)}; } >/dev/null 2>&1; then`);
    out.push(...body.map((l, i) => (i === 0 || !a.stdin ? `${indent}  ${l}` : l)));
    out.push(`${indent}fi`);
  } else {
    out.push(...body.map((l, i) => (i === 0 ? indent + l : l)));
  }
  return out;
}

function printWrite(w: WriteAction): string[] {
  const head = `# ${w.title} (mode ${octal(w.mode)}, ${w.owner}:${w.group})`;
  const body = heredoc(writeCommand(w), redactText(w.content));
  if (!w.skipIf) return [head, ...body];
  return [head, `if ! { ${runCommand(w.skipIf)}; } >/dev/null 2>&1; then`, `  ${body[0]}`, ...body.slice(1), 'fi'];
}

/**
 * The command a gate runs, for review: a remote check as it runs on the server;
 * a fresh-login or login-refused check as the exact ssh command line the
 * executor runs from the laptop (the same builder), for the planned target.
 */
export function gateCommand(g: GateAction, o: PrintOptions): string {
  const c = g.check;
  if (c.type === 'remote') return runCommand(c.argv);
  return shJoin(laptopGateArgs(printTarget(o, c.port), c));
}

/** What the printed ssh line of a laptop gate needs said beside it. */
function gateNote(g: GateAction): string {
  const c = g.check;
  if (c.type === 'login-refused') return 'must be refused';
  if (c.type !== 'fresh-login') return '';
  return [
    ...(c.via === 'tailnet' ? [`${TAILNET_ADDRESS}: what tailscale ip -4 prints on the server`] : []),
    ...(c.sudo ? ['sudo password on stdin'] : []),
  ].join('; ');
}

function printGate(g: GateAction, o: PrintOptions): string[] {
  const where = g.check.type === 'remote' ? 'on the server' : 'from your laptop, fresh connection';
  const cmd = gateCommand(g, o);
  if (g.check.type === 'remote') {
    const retry =
      (g.check.retries ? ` (retried up to ${g.check.retries} times, ${g.check.delaySec ?? 1}s apart)` : '') +
      (g.check.onlyAfterChange ? ' (only when this run changed something)' : '');
    return [`# GATE (${where}): ${g.title}${retry}`, `${cmd} || exit 1`];
  }
  const note = gateNote(g);
  return [`# GATE (${where}): ${g.title}`, `#   ${cmd}${note ? `  # ${note}` : ''}`];
}

function printAction(a: Action, o: PrintOptions): string[] {
  switch (a.kind) {
    case 'run':
      return printRun(a);
    case 'write':
      return printWrite(a);
    case 'gate':
      return printGate(a, o);
    case 'guarded': {
      const lines = [
        `# ┌─ GUARDED: ${a.title}`,
        `# │ dead-man switch: the server restores ${a.backup.join(', ')} after ${a.timeoutSec}s`,
        `# │ unless every gate below passes from a fresh connection.`,
      ];
      if (a.skipIf) lines.push(`# │ skipped whole when this passes: ${runCommand(a.skipIf)}`);
      const dm = deadmanProtocol(a);
      for (const x of [...dm.prepare, dm.arm]) lines.push(...printAction(x, o));
      for (const x of a.actions) lines.push(...printAction(x, o));
      for (const x of a.gates) lines.push(...printAction(x, o));
      lines.push(...printRun(dm.disarm));
      lines.push(`# │ if any of this fails: ${runCommand(dm.restore.argv)}`);
      lines.push(`# └─ end of guarded group ${a.id}`);
      return lines;
    }
  }
}

export function printStep(step: Step, index: number, total: number, o: PrintOptions): string {
  const lines = [`# ═══ Step ${index + 1}/${total}: ${step.id} — ${step.title}`];
  for (const s of step.summary) lines.push(`#     ${s}`);
  for (const a of step.actions) lines.push(...printAction(a, o));
  for (const n of step.next ?? []) lines.push(`# NOTE: ${nextStepLine(n)}`);
  return lines.join('\n');
}

/** The whole plan as a reviewable bash script. `bash -n` accepts it. */
export function printPlan(plan: Plan, o: PrintOptions): string {
  const head = [
    '#!/usr/bin/env bash',
    ...plan.header.map((h) => `# ${h}`),
    "# Secrets appear as <secret:NAME>: their values only ever reach a process's stdin or a mode-600 file.",
    '# Commands run on the server as root. GATE lines are checks; those marked "from your laptop" run',
    '# over a brand-new SSH connection and must pass before anything after them runs.',
    'set -euo pipefail',
    'umask 077',
    '# Every file is written by claw_write MODE OWNER GROUP PATH: built in a root-only directory, renamed into place (never through a link).',
    CLAW_WRITE,
    '',
  ];
  // One target for every gate of the plan, as the executor pins one for the whole run.
  const port = o.port ?? firstLaptopPort(plan);
  const opts = port === undefined ? o : { ...o, port };
  const body = plan.steps.map((s, i) => printStep(s, i, plan.steps.length, opts));
  const text = body.join('\n\n');
  // Planned offline with operatorIp "auto": the break-glass address is a placeholder, so the script refuses to run as it is.
  if (text.includes(AUTO_OPERATOR_IP))
    head.push(
      `# Your address for the break-glass rule was not known when this was planned: it shows as ${AUTO_OPERATOR_IP} below.`,
      '# Plan again with --operator-ip IP (the wizard and a real run detect it) before running this script.',
      'if [ -z "${CLAW_ALLOW_PLACEHOLDERS:-}" ]; then',
      `  echo 'this plan has no operator IP yet (${AUTO_OPERATOR_IP}): plan again with --operator-ip IP' >&2`,
      '  exit 1',
      'fi',
      '',
    );
  return `${head.join('\n')}\n${text}\n`;
}

export { writeCommand };
