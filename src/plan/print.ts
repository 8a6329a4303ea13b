import type { Action, GateAction, Plan, RunAction, Step, WriteAction } from './action.js';
import { deadmanProtocol } from './guard.js';
import { redactText } from '../core/secret.js';
import { heredocTag, shJoin, shQuote } from './shell.js';

/**
 * The dry-run printer: renders a plan as a bash script a person can review.
 * Secrets print as <secret:NAME>. The review screen shows the same text.
 * Gates run from the laptop, so they print as comments with their exact check.
 */
export interface PrintOptions {
  /** host and port the gates connect to, for the printed ssh commands. */
  host: string;
  identityFile: string;
}

const octal = (mode: number) => mode.toString(8).padStart(4, '0');

/** The command line that writes a file (also what the executor runs, with the content on stdin). */
export function writeCommand(w: WriteAction): string {
  return shJoin(['install', '-m', octal(w.mode), '-o', w.owner, '-g', w.group, '/dev/stdin', w.path]);
}

function heredoc(cmd: string, body: string): string[] {
  const text = body.endsWith('\n') ? body : `${body}\n`;
  const tag = heredocTag(text);
  const lines = [`${cmd} <<'${tag}'`, ...text.slice(0, -1).split('\n'), tag];
  if (!body.endsWith('\n')) lines.push('# (the content above has no trailing newline)');
  return lines;
}

function printRun(a: RunAction, indent = ''): string[] {
  const cmd = shJoin(a.argv);
  const body = a.stdin ? heredoc(cmd, redactText(a.stdin)) : [cmd];
  const out = [`${indent}# ${a.title}${a.when === 'changed' ? ' (only when a file above changed)' : ''}`];
  if (a.skipIf) {
    out.push(`${indent}if ! { ${shJoin(a.skipIf)}; } >/dev/null 2>&1; then`);
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
  return [head, `if ! { ${shJoin(w.skipIf)}; } >/dev/null 2>&1; then`, `  ${body[0]}`, ...body.slice(1), 'fi'];
}

/** The laptop-side command a gate runs, for review. */
export function gateCommand(g: GateAction, o: PrintOptions): string {
  const c = g.check;
  const fresh = ['-o', 'ControlMaster=no', '-o', 'ControlPath=none', '-o', 'BatchMode=yes', '-o', 'IdentitiesOnly=yes'];
  switch (c.type) {
    case 'fresh-login': {
      const cmd = shJoin([
        'ssh', ...fresh, '-o', 'PreferredAuthentications=publickey', '-i', o.identityFile, '-p', String(c.port),
        `${c.user}@${c.via === 'tailnet' ? '<tailscale-ip>' : o.host}`,
        ...(c.sudo ? ['sudo', '-S', '-p', '', 'true'] : ['true']),
      ]);
      return c.sudo ? `${cmd}  # sudo password on stdin` : cmd;
    }
    case 'login-refused':
      return `${shJoin([
        'ssh', '-o', 'ControlMaster=no', '-o', 'ControlPath=none', '-o', `PreferredAuthentications=${c.method}`,
        '-o', 'NumberOfPasswordPrompts=0', '-p', String(c.port), `${c.user}@${o.host}`, 'true',
      ])}  # must be refused`;
    case 'remote':
      return shJoin(c.argv);
  }
}

function printGate(g: GateAction, o: PrintOptions): string[] {
  const where = g.check.type === 'remote' ? 'on the server' : 'from your laptop, fresh connection';
  const cmd = gateCommand(g, o);
  if (g.check.type === 'remote') {
    const retry = g.check.retries ? ` (retried up to ${g.check.retries} times, ${g.check.delaySec ?? 1}s apart)` : '';
    return [`# GATE (${where}): ${g.title}${retry}`, `${cmd} || exit 1`];
  }
  return [`# GATE (${where}): ${g.title}`, `#   ${cmd}`];
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
      if (a.skipIf) lines.push(`# │ skipped whole when this passes: ${shJoin(a.skipIf)}`);
      const dm = deadmanProtocol(a);
      for (const x of [...dm.prepare, dm.arm]) lines.push(...printAction(x, o));
      for (const x of a.actions) lines.push(...printAction(x, o));
      for (const x of a.gates) lines.push(...printAction(x, o));
      lines.push(...printRun(dm.disarm));
      lines.push(`# │ if any of this fails: ${shJoin(dm.restore.argv)}`);
      lines.push(`# └─ end of guarded group ${a.id}`);
      return lines;
    }
  }
}

export function printStep(step: Step, index: number, total: number, o: PrintOptions): string {
  const lines = [`# ═══ Step ${index + 1}/${total}: ${step.id} — ${step.title}`];
  for (const s of step.summary) lines.push(`#     ${s}`);
  for (const a of step.actions) lines.push(...printAction(a, o));
  for (const n of step.notes ?? []) lines.push(`# NOTE: ${n}`);
  return lines.join('\n');
}

/** The whole plan as a reviewable bash script. `bash -n` accepts it. */
export function printPlan(plan: Plan, o: PrintOptions): string {
  const head = [
    '#!/usr/bin/env bash',
    ...plan.header.map((h) => `# ${h}`),
    '# Secrets appear as <secret:NAME>: their values only ever reach a process\'s stdin or a mode-600 file.',
    '# Commands run on the server as root. GATE lines are checks; those marked "from your laptop" run',
    '# over a brand-new SSH connection and must pass before anything after them runs.',
    'set -euo pipefail',
    'umask 077',
    '',
  ];
  const body = plan.steps.map((s, i) => printStep(s, i, plan.steps.length, o));
  return `${head.join('\n')}\n${body.join('\n\n')}\n`;
}

export { shQuote };
