import { gzipSync } from 'node:zlib';
import { Scalar, stringify } from 'yaml';
import { UserError } from '../core/errors.js';
import { Secret, type SecretText } from '../core/secret.js';
import type { Action, GateAction, Plan, RunAction, WriteAction } from '../plan/action.js';
import { CLAW_WRITE, laptopGateArgs, runCommand, writeCommand, type SshTarget } from '../plan/commands.js';
import { heredocTag, shJoin, shQuote } from '../plan/shell.js';
import { secretNames, usesOperatorPlaceholder, type ExportFile, type ExportInput } from './text.js';
import { shellSecretChecks } from './secret-shapes.js';

/**
 * `claw-setup export cloud-init`: `#cloud-config` user-data for a new server,
 * from the same plan objects: the plan's actions run in order from one
 * script (the commands commands.ts builds for the printer and the executor),
 * guarded groups without their dead-man switch, remote gates as checks that
 * stop the script; the laptop gates become the first-login check script the
 * operator runs afterwards. Nobody is connected at first boot, so nothing
 * proves a fresh login before sshd tightens and nothing reverts: this path has
 * no lockout protection of its own (the README says what protects instead:
 * break-glass before ufw enable, sshd -t, the on-server checks, the provider's
 * console). Secrets are placeholders in small write_files entries (literal
 * blocks), filled from the provider's secret mechanism and checked with the
 * live path's rules before anything changes (secret-shapes.ts).
 */

/** Where the user-data puts its pieces on the server. */
export const CLOUD_INIT_DIR = '/var/lib/claw-setup/cloud-init';
const SECRETS_DIR = `${CLOUD_INIT_DIR}/secrets`;
const APPLY = `${CLOUD_INIT_DIR}/apply.sh`;
const LOG = '/var/log/claw-setup-cloud-init.log';

/** The placeholder a secret's value replaces in the user-data. */
export const secretPlaceholder = (name: string) => `@@CLAW_SECRET_${name}@@`;

/** The most common provider limit on user-data (AWS EC2, Linode): 16 KB. */
export const USER_DATA_LIMIT = 16384;

/** Shell that writes `t` to stdout exactly: literal parts as heredocs or printf, secrets from their file (never in argv). */
function producer(t: SecretText): string[] {
  const lines: string[] = ['{'];
  for (const p of t) {
    if (p instanceof Secret) lines.push(`  tr -d '\\n' < ${SECRETS_DIR}/${p.name}`);
    else if (p.endsWith('\n')) {
      const tag = heredocTag(p);
      lines.push(`  cat <<'${tag}'`, ...p.slice(0, -1).split('\n'), tag);
    } else lines.push(`  printf '%s' ${shQuote(p)}`);
  }
  lines.push('}');
  return lines;
}

function runLines(a: RunAction): string[] {
  const cmd = runCommand(a.argv);
  let body = a.stdin ? [...producer(a.stdin).slice(0, -1), `} | ${cmd}`] : [cmd];
  if (a.skipIf) body = [`if ! { ${runCommand(a.skipIf)}; } >/dev/null 2>&1; then`, ...body, 'fi'];
  if (a.when === 'changed') body = ['if [ "$changed" = 1 ]; then', ...body, 'fi'];
  return [`# ${a.title}`, `note ${shQuote(a.title)}`, ...body];
}

function writeLines(w: WriteAction, written: Map<string, string>): string[] {
  // The same text written twice (the audit script: monitoring and verify) is read back from the first copy:
  // gzip's 32 KiB window would not see the repeat, and the user-data must stay small.
  const text = w.content.length === 1 && typeof w.content[0] === 'string' ? w.content[0] : null;
  const first = text !== null ? written.get(text) : undefined;
  if (text !== null && !first) written.set(text, w.path);
  const produce = first ? ['{', `  cat ${shQuote(first)}`] : producer(w.content).slice(0, -1);
  let body = [...produce, `} | ${writeCommand(w)}`, 'changed=1'];
  if (w.skipIf) body = [`if ! { ${runCommand(w.skipIf)}; } >/dev/null 2>&1; then`, ...body, 'fi'];
  return [`# ${w.title} (mode ${w.mode.toString(8).padStart(4, '0')}, ${w.owner}:${w.group})`, `note ${shQuote(w.title)}`, ...body];
}

function gateLines(g: GateAction): string[] {
  if (g.check.type !== 'remote') return [`# GATE from outside, after the first boot (first-login-check.sh): ${g.title}`];
  return [`# GATE: ${g.title}`, `note ${shQuote(`check: ${g.title}`)}`, `gate ${g.check.retries ?? 0} ${g.check.delaySec ?? 1} ${runCommand(g.check.argv)}`];
}

function actionLines(a: Action, written: Map<string, string>): string[] {
  switch (a.kind) {
    case 'run':
      return runLines(a);
    case 'write':
      return writeLines(a, written);
    case 'gate':
      return gateLines(a);
    case 'guarded': {
      // Before the first login there is no session to lose: the group's changes and its on-server checks run as they are.
      const body = [...a.actions.flatMap((x) => actionLines(x, written)), ...a.gates.flatMap(gateLines)];
      return [
        `# ┌─ ${a.title} (guarded in a live rollout; here nobody is logged in yet, so no dead-man switch)`,
        ...(a.skipIf ? [`if ! { ${runCommand(a.skipIf)}; } >/dev/null 2>&1; then`, ...body, 'fi'] : body),
        `# └─ end of ${a.id}`,
      ];
    }
  }
}

/** The script cloud-init runs once (runcmd): the plan in order, stopping at the first failure. */
export function applyScript(plan: Plan): string {
  const head = [
    '#!/bin/bash',
    '# Generated by claw-setup export cloud-init: the plan, run once at first boot by cloud-init (runcmd).',
    ...plan.header.map((h) => `# ${h}`),
    `# Progress and errors: ${LOG}; done: ${CLOUD_INIT_DIR}/done; failed: ${CLOUD_INIT_DIR}/failed (the step).`,
    'set -euo pipefail',
    'umask 077',
    `exec >>${LOG} 2>&1`,
    'current=start',
    'changed=0',
    `trap 'echo "failed at step $current" > ${CLOUD_INIT_DIR}/failed; echo "claw-setup: FAILED at step $current"' ERR`,
    'note() { echo "claw-setup [$current] $1"; }',
    CLAW_WRITE,
    '# gate TRIES-1 DELAY ARGV...: a check on this server that must pass before anything after it runs.',
    'gate() {',
    '  local left=$1 delay=$2',
    '  shift 2',
    '  until "$@"; do',
    '    if [ "$left" -le 0 ]; then echo "claw-setup [$current] check failed: $*"; return 1; fi',
    '    left=$((left - 1))',
    '    sleep "$delay"',
    '  done',
    '}',
    `for f in ${SECRETS_DIR}/*; do`,
    '  [ -f "$f" ] || continue',
    `  if grep -q '^@@CLAW_SECRET_' "$f"; then echo "claw-setup: the secret $f still holds its placeholder: fill it in the user-data"; exit 1; fi`,
    'done',
    ...shellSecretChecks(secretNames(plan), SECRETS_DIR).map((l) =>
      // A refused secret is a failed first boot too: the first-login check reads why from this file.
      l.startsWith('secret_bad()') ? l.replace('exit 1;', `echo "secrets: $1 $2" > ${CLOUD_INIT_DIR}/failed; exit 1;`) : l,
    ),
    '',
  ];
  const written = new Map<string, string>();
  const body = plan.steps.flatMap((s, i) => [
    `# ═══ Step ${i + 1}/${plan.steps.length}: ${s.id} — ${s.title}`,
    `current=${s.id}`,
    'changed=0',
    ...s.actions.flatMap((a) => actionLines(a, written)),
    '',
  ]);
  const tail = [
    `rm -rf ${SECRETS_DIR}`,
    `touch ${CLOUD_INIT_DIR}/done`,
    'echo "claw-setup: every step is in place; run first-login-check.sh from your machine"',
    '',
  ];
  return [...head, ...body, ...tail].join('\n');
}

/** Words in the check script that stand for its own variables (bare, so shQuote leaves them as they are). */
const HOST = 'CLAWxHOST';
const KEY = 'CLAWxKEY';
const KNOWN = 'CLAWxKNOWN';
const ALIAS = 'CLAWxALIAS';
const TAILNET = 'CLAWxTAILNET';
const SH_VAR: Record<string, string> = { [HOST]: '"$host"', [KEY]: '"$key"', [KNOWN]: '"$known_hosts"', [ALIAS]: '"$alias"', [TAILNET]: '"$tailnet"' };
const withVars = (line: string) => Object.entries(SH_VAR).reduce((l, [m, v]) => l.split(m).join(v), line);

/**
 * The first-login check the operator runs from their machine once the first
 * boot is over: every gate of the plan, in order. Fresh-login and
 * login-refused gates are the exact ssh lines the executor runs
 * (laptopGateArgs); on-server gates run through a fresh login as the deploy
 * user with sudo.
 */
export function firstLoginCheck(input: ExportInput): string {
  const { plan, answers: a } = input;
  const target: SshTarget = { host: HOST, port: a.target.port, user: a.target.user, identityFile: KEY, sshOptions: [], knownHosts: KNOWN, hostKeyAlias: ALIAS };
  const deploy = a.deployUser.name;
  const gates: GateAction[] = plan.steps.flatMap((s) => s.actions.flatMap((x) => (x.kind === 'gate' ? [x] : x.kind === 'guarded' ? x.gates : [])));
  const final = [...gates].reverse().find((g) => g.check.type === 'fresh-login' && g.check.via === 'public');
  const port = final && final.check.type === 'fresh-login' ? final.check.port : a.ssh.port;
  const lines = [
    '#!/bin/sh',
    '# Generated by claw-setup export cloud-init: run it from your machine once the server has booted.',
    '# Usage: sh first-login-check.sh HOST   (the sudo password from $CLAW_SUDO_PASSWORD, or asked)',
    '# Every check of the plan, in order, over brand-new SSH connections. Exit 0: all passed.',
    'set -u',
    `host=\${1:-${shQuote(a.target.host ?? '')}}`,
    `key=\${CLAW_IDENTITY:-${shQuote(a.target.identityFile)}}`,
    'known_hosts=${CLAW_KNOWN_HOSTS:-$HOME/.ssh/known_hosts}',
    `alias=\${CLAW_HOST_KEY_ALIAS:-$host}`,
    ...(gates.some((g) => g.check.type === 'fresh-login' && g.check.via === 'tailnet')
      ? ['tailnet=${CLAW_TAILNET_ADDRESS:?set CLAW_TAILNET_ADDRESS to the address tailscale ip -4 prints on the server}']
      : []),
    '[ -n "$host" ] || { echo "usage: sh first-login-check.sh HOST" >&2; exit 2; }',
    'if [ -z "${CLAW_SUDO_PASSWORD:-}" ]; then',
    `  printf 'sudo password of ${deploy}: ' >&2; stty -echo 2>/dev/null; read -r CLAW_SUDO_PASSWORD; stty echo 2>/dev/null; echo >&2`,
    'fi',
    'failed=0',
    'pass() { echo "ok    $1"; }',
    'fail() { echo "FAIL  $1${2:+: $2}"; failed=1; }',
    `# On-server checks: a fresh login as ${deploy} on port ${port}, sudo reading the password from stdin.`,
    'remote() {',
    `  printf '%s\\n' "$CLAW_SUDO_PASSWORD" | ssh -T -o ControlMaster=no -o ControlPath=none -o BatchMode=yes -o IdentitiesOnly=yes -i "$key" -o StrictHostKeyChecking=yes -o HostKeyAlias="$alias" -o UserKnownHostsFile="$known_hosts" -p ${port} -l ${shQuote(deploy)} -- "$host" "sudo -S -k -p '' -- $1"`,
    '}',
    `# First: cloud-init has finished and our script ran to the end (${CLOUD_INIT_DIR}/done).`,
    `if remote "sh -c 'cloud-init status --wait >/dev/null 2>&1; test -f ${CLOUD_INIT_DIR}/done'"; then pass 'the first boot ran every step'; else`,
    `  fail 'the first boot did not finish' "see ${LOG} on the server (provider console): $(remote "cat ${CLOUD_INIT_DIR}/failed" 2>/dev/null)"`,
    '  exit 1',
    'fi',
  ];
  for (const g of gates) {
    const c = g.check;
    const title = shQuote(g.title);
    if (c.type === 'remote') {
      lines.push(`if remote ${shQuote(runCommand(c.argv))} >/dev/null 2>&1; then pass ${title}; else fail ${title}; fi`);
      continue;
    }
    const argv = withVars(shJoin(laptopGateArgs(target, c, c.type === 'fresh-login' && c.via === 'tailnet' ? TAILNET : undefined)));
    if (c.type === 'fresh-login') {
      const input = c.sudo ? `printf '%s\\n' "$CLAW_SUDO_PASSWORD" | ` : '';
      lines.push(`if out=$(${input}${argv} 2>&1); then pass ${title}; else fail ${title} "$out"; fi`);
    } else if (c.method === 'publickey') {
      lines.push(
        `out=$(${argv} </dev/null 2>&1) && fail ${title} 'the key still logs in' || { echo "$out" | grep -q 'Permission denied' && pass ${title} || fail ${title} "$out"; }`,
      );
    } else {
      // As the executor judges it: the last list of methods the server offered must hold neither password nor keyboard-interactive.
      lines.push(
        `out=$(${argv} </dev/null 2>&1) && fail ${title} 'logged in without a credential' || {`,
        `  offered=$(echo "$out" | sed -n 's/.*Authentications that can continue: \\([A-Za-z0-9,@.-]*\\).*/\\1/p; s/.*Permission denied (\\([A-Za-z0-9,@.-]*\\)).*/\\1/p' | tail -n 1)`,
        `  case ",$offered," in ,,) fail ${title} "could not check: $out" ;; *,password,*|*,keyboard-interactive,*) fail ${title} "offered: $offered" ;; *) pass ${title} ;; esac`,
        '}',
      );
    }
  }
  lines.push('[ "$failed" = 0 ] && echo "every check passed" || echo "some checks failed: see above"', 'exit "$failed"', '');
  return lines.join('\n');
}

/** Which common provider limits a user-data of `size` bytes fits. */
export function sizeVerdict(size: number): string {
  if (size <= USER_DATA_LIMIT) return 'within 16 KB, the smallest common provider limit (AWS EC2, Linode)';
  const over = 'over the 16 KB limit of AWS EC2 and Linode (there: serve this file over HTTPS and pass a two-line "#include URL" user-data)';
  if (size <= 32768) return `${over}; within 32 KiB (Hetzner Cloud), 64 KiB (DigitalOcean, Azure) and 256 KB (Google Cloud)`;
  return `${over}; within 64 KiB (DigitalOcean, Azure) and 256 KB (Google Cloud)`;
}

/** The user-data, plain when it fits the 16 KB limit, else with the script as gzip+base64 (cloud-init's gz+b64 encoding). */
export function exportCloudInit(input: ExportInput): { userData: ExportFile; checkScript: ExportFile; sizeNote: string } {
  const { plan } = input;
  if (usesOperatorPlaceholder(plan))
    throw new UserError(
      'cloud-init cannot detect your address (no SSH connection at first boot): the break-glass rule needs it',
      'pass --operator-ip IP (the address the server will see you connect from), or set operatorIp in the answers',
    );
  const script = applyScript(plan);
  // A literal block: whatever replaces the placeholder is taken as it is (no YAML escapes: a "\t"
  // typed in a double-quoted string would silently become a tab), and the apply script checks its shape.
  const literal = (text: string) => Object.assign(new Scalar(text), { type: Scalar.BLOCK_LITERAL });
  const secrets = secretNames(plan).map((s) => ({
    path: `${SECRETS_DIR}/${s.name}`,
    owner: 'root:root',
    permissions: '0600',
    content: literal(`${secretPlaceholder(s.name)}\n`),
  }));
  const render = (compress: boolean) => {
    const apply = compress
      ? { path: APPLY, owner: 'root:root', permissions: '0700', encoding: 'gz+b64', content: gzipSync(script, { level: 9 }).toString('base64') }
      : { path: APPLY, owner: 'root:root', permissions: '0700', content: script };
    const doc = { write_files: [...secrets, apply], runcmd: [['/bin/bash', APPLY]] };
    const head = [
      '#cloud-config',
      '# Generated by claw-setup export cloud-init, from the same plan `claw-setup plan` prints.',
      ...plan.header.map((h) => `# ${h}`),
      `# Secrets: replace each ${secretPlaceholder('NAME')} below with its value from your provider's secret mechanism.`,
      '# After the first boot, run first-login-check.sh HOST from your machine.',
    ];
    return `${head.join('\n')}\n${stringify(doc, { lineWidth: 0 })}`;
  };
  const plain = render(false);
  const text = Buffer.byteLength(plain) <= USER_DATA_LIMIT ? plain : render(true);
  const size = Buffer.byteLength(text);
  const how = text === plain ? 'plain text' : 'the script as gzip+base64 (write_files encoding gz+b64)';
  const sizeNote = `user-data: ${size} bytes, ${how}: ${sizeVerdict(size)}`;
  return {
    userData: { path: 'user-data.yaml', content: text, mode: 0o600 },
    checkScript: { path: 'first-login-check.sh', content: firstLoginCheck(input), mode: 0o755 },
    sizeNote,
  };
}
