import { readFileSync } from 'node:fs';
import JSON5 from 'json5';
import { answersSchema, type Answers } from './schema.js';
import { expandHome } from './secrets.js';
import { looksLikeKeyLine, parsePublicKey } from './ssh-key.js';
import { explainIssues, type AnswerSources, type Override } from './explain.js';
import { json5SyntaxProblem } from './json5-text.js';
import { zodLookup } from './zod-lookup.js';
import { UserError } from '../core/errors.js';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/**
 * What loading the answers reads from the command line: the answers file, --set, the flags that
 * stand for one answer each, and --ssh-option (checked here, before any plan exists). Only these,
 * so answers/ does not depend on the CLI's whole flag set (cli/args.ts's CliArgs satisfies it).
 */
export interface AnswerFlags {
  answers?: string;
  set: string[];
  host?: string;
  port?: string;
  user?: string;
  identity?: string;
  operatorIp?: string;
  sshOptions: string[];
}
type Obj = { [k: string]: Json };

const SEGMENT = /^(?:[A-Za-z][A-Za-z0-9]{0,40}|\d{1,3})$/;

/** Sets obj[a][b][c] = value for "a.b.c", refusing odd segments (no __proto__ games). */
export function setPath(obj: Obj, path: string, value: Json): void {
  const segs = path.split('.');
  if (!segs.every((s) => SEGMENT.test(s)))
    throw new UserError(`"${path.slice(0, 80)}" is not an answers path`, 'use dotted names like ssh.port or openclaw.channels.0.type');
  let cur: Obj = obj;
  segs.slice(0, -1).forEach((s, i) => {
    const next = cur[s];
    if (next === undefined || next === null || typeof next !== 'object') cur[s] = /^\d+$/.test(segs[i + 1]) ? [] : {};
    cur = cur[s] as Obj;
  });
  cur[segs[segs.length - 1]] = value;
}

/** "2222" → 2222, "true" → true, "[1,2]" → [1,2]; anything else stays a string. */
export function parseValue(raw: string): Json {
  if (/^(-?\d+(\.\d+)?|true|false|null)$/.test(raw) || /^[[{]/.test(raw)) {
    try {
      return JSON5.parse(raw) as Json;
    } catch {
      return raw;
    }
  }
  return raw;
}

const SSH_OPTION = /^([A-Za-z][A-Za-z0-9]{1,39})=(.*)$/s;
const SSH_OPTION_VALUE = /^[A-Za-z0-9._@:/,+~-]{1,200}$/;

/**
 * The only client options --ssh-option may pass: connection tuning, jump hosts,
 * algorithms and logging. Everything else (forwarding, local or remote commands,
 * key providers and identities, host-key checking, multiplexing, environment,
 * config includes) stays under claw-setup's control. Keyed by lower case, the
 * value is the spelling shown in messages.
 */
export const ALLOWED_SSH_OPTIONS: ReadonlyMap<string, string> = new Map(
  [
    'ConnectTimeout',
    'ConnectionAttempts',
    'ServerAliveInterval',
    'ServerAliveCountMax',
    'TCPKeepAlive',
    'ProxyJump',
    'AddressFamily',
    'BindAddress',
    'BindInterface',
    'Compression',
    'IPQoS',
    'RekeyLimit',
    'Ciphers',
    'KexAlgorithms',
    'MACs',
    'HostKeyAlgorithms',
    'PubkeyAcceptedAlgorithms',
    'PubkeyAcceptedKeyTypes',
    'CASignatureAlgorithms',
    'CertificateFile',
    'LogLevel',
    'CanonicalizeHostname',
    'CanonicalDomains',
    'HashKnownHosts',
    'UpdateHostKeys',
    'VerifyHostKeyDNS',
    'CheckHostIP',
    'ObscureKeystrokeTiming',
  ].map((n) => [n.toLowerCase(), n]),
);

/** One jump host: [ssh://][user@]host[:port], the host a name, an ~/.ssh/config alias or an IPv4 address. */
const JUMP_HOST = /^(?:ssh:\/\/)?(?:[A-Za-z0-9._][A-Za-z0-9._-]{0,31}@)?[A-Za-z0-9][A-Za-z0-9.-]{0,252}(?::\d{1,5})?$/;

const shown = (s: string) => s.slice(0, 60).replace(/[^\x20-\x7e]/g, '?');

/** Extra `ssh -o` options: OPTION=VALUE, only options from the allow-list above, values in a strict shape. */
export function checkSshOptions(opts: string[]): string[] {
  for (const o of opts) {
    const m = SSH_OPTION.exec(o);
    if (!m) throw new UserError(`--ssh-option "${shown(o)}" is not OPTION=VALUE`, 'e.g. --ssh-option ConnectTimeout=10');
    const name = ALLOWED_SSH_OPTIONS.get(m[1].toLowerCase());
    if (!name) {
      throw new UserError(
        `--ssh-option ${m[1]} is not allowed: claw-setup only passes harmless connection options (${[...ALLOWED_SSH_OPTIONS.values()].join(', ')}); forwarding, commands, key providers and host-key settings stay under its control`,
        'use ProxyJump for jump hosts, e.g. --ssh-option ProxyJump=admin@bastion.example.com',
      );
    }
    if (!SSH_OPTION_VALUE.test(m[2])) {
      throw new UserError(
        `--ssh-option ${name} value "${shown(m[2])}" may only use A-Z a-z 0-9 . _ @ : / , + ~ - (1 to 200 characters: no spaces, quotes or shell characters)`,
        'e.g. --ssh-option ConnectTimeout=10',
      );
    }
    if (name === 'ProxyJump' && m[2].toLowerCase() !== 'none' && !m[2].split(',').every((h) => JUMP_HOST.test(h))) {
      throw new UserError(`--ssh-option ProxyJump=${shown(m[2])} is not a list of jump hosts`, 'e.g. --ssh-option ProxyJump=admin@bastion.example.com:2222');
    }
  }
  return opts;
}

/** Reads and parses an answers file (JSON5); also returns its text, so errors can name the line of a key. */
export function readAnswersFileText(path: string): { data: Obj; text: string } {
  let text: string;
  try {
    text = readFileSync(expandHome(path), 'utf8');
  } catch (e) {
    throw new UserError(
      `cannot read answers file ${path}: ${(e as NodeJS.ErrnoException).code ?? 'error'}`,
      'check the path; examples/answers.json5 shows every field',
    );
  }
  if (text.length > 1_000_000) throw new UserError(`answers file ${path} is larger than 1 MB`);
  let data: unknown;
  try {
    data = JSON5.parse(text);
  } catch (e) {
    const p = json5SyntaxProblem(path, text, e as Error & { lineNumber?: number; columnNumber?: number });
    throw new UserError(p.message, p.howToFix);
  }
  if (!data || typeof data !== 'object' || Array.isArray(data)) throw new UserError(`answers file ${path} must hold one object { … }`);
  return { data: data as Obj, text };
}

/** One value given outside the answers file: its path, value, and the flag or variable that gave it. */
interface Given {
  path: string;
  value: Json;
  source: Override['source'];
}

/** Environment: CLAW_HOST, CLAW_PORT, CLAW_USER, CLAW_IDENTITY, CLAW_OPERATOR_IP and CLAW_SET_<PATH> (segments joined by "__"). */
export function envOverrides(env: NodeJS.ProcessEnv): Given[] {
  const out: Given[] = [];
  const named: Record<string, string> = {
    CLAW_HOST: 'target.host',
    CLAW_PORT: 'target.port',
    CLAW_USER: 'target.user',
    CLAW_IDENTITY: 'target.identityFile',
    CLAW_OPERATOR_IP: 'operatorIp',
  };
  for (const [k, path] of Object.entries(named))
    if (env[k] !== undefined && env[k] !== '') out.push({ path, value: parseValue(env[k]!), source: { kind: 'env', name: k } });
  for (const [k, val] of Object.entries(env)) {
    const m = /^CLAW_SET_([A-Z0-9_]+)$/.exec(k);
    if (!m || val === undefined) continue;
    const path = m[1]
      .split('__')
      .map((seg) => seg.toLowerCase().replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase()))
      .join('.');
    out.push({ path, value: parseValue(val), source: { kind: 'env', name: k } });
  }
  return out;
}

function flagOverrides(args: AnswerFlags): Given[] {
  const out: Given[] = [];
  const flag = (path: string, value: Json, name: string) => out.push({ path, value, source: { kind: 'flag', name } });
  if (args.host !== undefined) flag('target.host', args.host, '--host');
  if (args.port !== undefined) flag('target.port', parseValue(args.port), '--port');
  if (args.user !== undefined) flag('target.user', args.user, '--user');
  if (args.identity !== undefined) flag('target.identityFile', args.identity, '--identity');
  if (args.operatorIp !== undefined) flag('operatorIp', args.operatorIp, '--operator-ip');
  for (const s of args.set) {
    const i = s.indexOf('=');
    if (i < 1) throw new UserError(`--set "${s.slice(0, 60)}" is not PATH=VALUE`, 'e.g. --set ssh.port=2222');
    flag(s.slice(0, i), parseValue(s.slice(i + 1)), `--set ${s.slice(0, Math.min(i, 80))}`);
  }
  return out;
}

/** The raw (unvalidated) answers: file, then environment, then flags; and where each value came from. */
export function rawAnswersWithSources(args: AnswerFlags, env: NodeJS.ProcessEnv): { raw: Obj; sources: AnswerSources } {
  const file = args.answers ? readAnswersFileText(args.answers) : null;
  const raw: Obj = file ? file.data : {};
  const overrides: Override[] = [];
  for (const g of [...envOverrides(env), ...flagOverrides(args)]) {
    setPath(raw, g.path, g.value);
    overrides.push({ path: g.path.split('.'), source: g.source });
  }
  return { raw, sources: { file: file && args.answers ? { path: args.answers, text: file.text } : null, overrides } };
}

/** The raw (unvalidated) answers: file, then environment, then flags. */
export function rawAnswers(args: AnswerFlags, env: NodeJS.ProcessEnv): Obj {
  return rawAnswersWithSources(args, env).raw;
}

/**
 * Validates raw answers once; every problem is listed with its field in plain words. With
 * `sources` (what rawAnswersWithSources read), each names where its value came from: the flag,
 * the environment variable, or the answers file and line; `source` names the input otherwise.
 */
export function validateAnswers(raw: unknown, source: string, sources: AnswerSources | null = null): Answers {
  const r = answersSchema.safeParse(raw);
  if (r.success) return r.data;
  const e = explainIssues(r.error.issues, { raw, sources, schema: zodLookup(answersSchema), fallback: source });
  throw new UserError(e.message, e.howToFix);
}

/** The authorized_keys lines: literal key lines, or the keys in the named .pub files; default the identity's .pub. */
export function loadKeys(a: Answers): string[] {
  const entries = a.deployUser.authorizedKeys.length ? a.deployUser.authorizedKeys : [`${a.target.identityFile}.pub`];
  const keys: string[] = [];
  for (const e of entries) {
    if (looksLikeKeyLine(e)) {
      keys.push((parsePublicKey(e) as { line: string }).line);
      continue;
    }
    let text: string;
    try {
      text = readFileSync(expandHome(e), 'utf8');
    } catch {
      throw new UserError(
        `cannot read public key file ${e}`,
        'put your public key line in deployUser.authorizedKeys, or create a key with: ssh-keygen -t ed25519',
      );
    }
    for (const [i, raw] of text.split('\n').entries()) {
      const line = raw.trim();
      if (!line || line.startsWith('#')) continue;
      // Names the file and line, never its content (parsePublicKey's fromFile).
      const k = parsePublicKey(line, { fromFile: true });
      if (typeof k === 'string')
        throw new UserError(
          `public key file ${e}, line ${i + 1}: ${k}`,
          'name a public key file (.pub) or put the key line itself in deployUser.authorizedKeys',
        );
      keys.push(k.line);
    }
  }
  if (!keys.length) throw new UserError('no public key for the deploy user', 'add one to deployUser.authorizedKeys');
  return [...new Set(keys)];
}

/** Validated answers plus the deploy user's public keys: everything a plan needs from the operator's side. */
export function loadAll(args: AnswerFlags, env: NodeJS.ProcessEnv): { answers: Answers; keys: string[] } {
  checkSshOptions(args.sshOptions);
  const { raw, sources } = rawAnswersWithSources(args, env);
  const answers = validateAnswers(raw, args.answers ? `answers file ${args.answers}` : 'the answers', sources);
  return { answers, keys: loadKeys(answers) };
}
