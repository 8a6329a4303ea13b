import type { Answers } from '../src/answers/schema.js';
import { CHANNEL_TYPES, SECRETS, type ChannelType } from '../src/answers/rules.js';
import { UserError } from '../src/core/errors.js';
import { VERSION } from '../src/core/version.js';
import { gate, run, write, type Action, type Argv, type Plan, type RunAction, type WriteAction } from '../src/plan/action.js';
import { unifiedDiff } from '../src/plan/diff.js';
import { guarded } from '../src/plan/guard.js';
import { serverPaths, type ServerPaths } from '../src/plan/paths.js';
import { shJoin, shQuote } from '../src/plan/shell.js';
import { closeExposure, exposureClosedArgv, exposureOpenGate, openExposure } from './lockdown-exposure.js';
import type { Deployed } from '../src/plan/deployed-state.js';
import {
  healthGate,
  journalUpdate,
  keepCopy,
  keptCopiesDir,
  probeGate,
  recreateArgv,
  recreateGateway,
  stopGateway,
  validateCandidateScript,
} from './deployment.js';
import { generateIntoEnvArgv, rotationStamp, tokenSwitchedArgv } from './rotate.js';
import { enabledChannels, lockedConfig } from './lockdown-config.js';
import { composeArgv, CONTAINER_UID } from './openclaw.js';

/**
 * The emergency brake. `lockdown`: a dated root-only snapshot, the public exposure closed
 * (Caddy off and its firewall rules gone, or Tailscale Serve reset), then one guarded switch:
 * every channel closed, every risky tool denied, the terminal off, a new gateway token made
 * on the server, the gateway recreated and proven (healthy, new token in, old token out,
 * nothing public). It fails closed: if anything in the switch fails, the dead-man switch puts
 * the previous files back and leaves the gateway STOPPED, and the exposure stays closed.
 * `unlock`: the snapshot's openclaw.json and exposure back, guarded and probed, but the token
 * stays the new one (the old one may be what leaked). A failed unlock stays locked.
 */

const TOKEN = SECRETS.gatewayToken.envVar;

/** The lockdown's record in the journal (no secrets). */
export interface LockRecord {
  state: 'locked' | 'unlocked';
  /** When the first lockdown of this lock ran (the CLI's clock, UTC). */
  since: string;
  /** The dated snapshot unlock restores (a symlink kept by keepCopy). */
  snapshot: string;
  access: Answers['access']['mode'];
  /** Later lockdowns while locked (each rotated the token again). */
  again?: string[];
  unlockedAt?: string;
}

export function lockRecord(journal: Record<string, unknown> | null): LockRecord | null {
  const r = journal?.lockdown as Partial<LockRecord> | undefined;
  return r && (r.state === 'locked' || r.state === 'unlocked') && typeof r.since === 'string' ? (r as LockRecord) : null;
}

/** The snapshot of the lock: `last-lockdown` points at the dated copy the first lockdown kept. */
export const lockSnapshot = (p: Pick<ServerPaths, 'stateDir'>) => `${keptCopiesDir(p)}/last-lockdown`;

/** Reads the snapshot's openclaw.json (read-only): the resolved directory, then the file in base64. Exit 3: none. */
export function snapshotProbeArgv(p: Pick<ServerPaths, 'stateDir'>): Argv {
  return [
    'sh',
    '-c',
    'f="$1/openclaw.json"; { [ -f "$f" ] && [ ! -L "$f" ]; } || exit 3; readlink -f -- "$1"; base64 -w0 -- "$f"; echo',
    'sh',
    lockSnapshot(p),
  ];
}

export function parseSnapshotProbe(stdout: string): { dir: string; configText: string } | null {
  const [dir, b64] = stdout.trim().split('\n');
  return dir && b64 !== undefined ? { dir, configText: Buffer.from(b64, 'base64').toString('utf8') } : null;
}

/** Candidate config written as the container's own file, checked by OpenClaw's validator before anything switches. */
function candidateActions(p: ServerPaths, candidate: string, text: string, what: string): (RunAction | WriteAction)[] {
  return [
    write(candidate, text, { mode: 0o600, owner: CONTAINER_UID, title: `candidate openclaw.json: ${what}` }),
    run('OpenClaw accepts the candidate config (its own validator, in the gateway image)', ['sh', '-c', validateCandidateScript(p, candidate)], {
      timeoutSec: 120,
    }),
  ];
}

export interface BrakePlan {
  plan: Plan;
  /** Unified diff of openclaw.json. */
  configDiff: string;
  /** What the operator must do or know afterwards. */
  after: string[];
}

export interface LockdownPlan extends BrakePlan {
  /** Already locked: the first snapshot is kept, the closure re-applied, the token rotated again. */
  again: boolean;
}

/** `lockdown` of a deployment made with `a`, from what the server holds (`d`); `now` is the CLI's clock. */
export function planLockdown(a: Answers, d: Deployed, host: string, now: Date): LockdownPlan {
  const p = serverPaths(a);
  if (d.configText === null) throw new UserError(`no OpenClaw config at ${p.config} on ${host}`, 'is OpenClaw deployed there? run the setup first');
  const prev = lockRecord(d.journal);
  const again = prev?.state === 'locked';
  const kind = again ? 'lockdown-again' : 'lockdown';
  const locked = lockedConfig(d.configText, p.config);
  const candidate = `${p.config}.candidate`;
  const previousEnv = `${keptCopiesDir(p)}/last-${kind}/.env`;
  const stamp = now.toISOString().replace(/\.\d+Z$/, 'Z');
  const group = guarded({
    id: 'lockdown',
    title: 'close every channel and risky tool, new gateway token, recreate, prove',
    backup: [p.env, p.config],
    // Fail closed: the previous files come back, but the gateway stays stopped (they are the open ones).
    afterRestore: [`rm -f -- ${shQuote(candidate)}`, shJoin(composeArgv({ paths: p }, 'stop', '--timeout', '30', 'openclaw-gateway'))],
    actions: [
      ...candidateActions(p, candidate, locked.text, 'every channel closed, risky tools denied, terminal and automations off'),
      run(`${TOKEN}: a new token, made on the server (never shown)`, generateIntoEnvArgv(p.env, TOKEN)),
      stopGateway(p),
      run('switch to the locked config', ['mv', '-f', '--', candidate, p.config]),
      recreateGateway(p, 'the locked config and the new token'),
    ],
    gates: [
      healthGate(a),
      gate('the new gateway token opens the authenticated API; the old one is refused', { type: 'remote', argv: tokenSwitchedArgv(a, previousEnv) }),
      gate('nothing is exposed: only loopback listens on the gateway ports, 80 and 443', { type: 'remote', argv: exposureClosedArgv(a) }),
    ],
  });
  const record: LockRecord =
    again && prev ? { ...prev, again: [...(prev.again ?? []), stamp] } : { state: 'locked', since: stamp, snapshot: lockSnapshot(p), access: a.access.mode };
  const snapshotFiles = [p.env, p.config, ...(a.access.mode === 'caddy' ? [p.caddyfile] : [])];
  const actions: Action[] = [
    keepCopy(p, kind, kind, snapshotFiles),
    ...(a.access.mode === 'tailscale-serve' && !again
      ? [run('snapshot: the Tailscale Serve config', ['sh', '-c', 'tailscale serve status --json >"$1/tailscale-serve.json"', 'sh', lockSnapshot(p)])]
      : []),
    ...closeExposure(a).map((c) => run(c.title, c.argv)),
    group,
    rotationStamp(p, [TOKEN]),
    journalUpdate(p, d.journal, a, 'journal: the deployment is locked down (no secrets)', { lockdown: record }),
  ];
  const channels = [...locked.closed.map((t) => `${t} closed`), ...locked.removed.map((t) => `${t} removed (no enabled key)`)];
  return {
    plan: {
      header: [
        `claw-setup ${VERSION}: LOCKDOWN of ${host}`,
        again
          ? `Already locked since ${prev?.since}: that snapshot is kept for unlock; the closure is applied again and the token rotated again.`
          : `Planned from what ${host} holds now; the snapshot goes to ${keptCopiesDir(p)}/<time>-lockdown (root only).`,
      ],
      steps: [
        {
          id: 'channel',
          title: 'Lock down: close every channel and exposure, deny risky tools, rotate the gateway token',
          summary: [
            `channels: ${channels.join(', ') || 'none configured'}; tools: profile minimal, exec and every risky group denied; terminal, hooks and automations off`,
            `exposure: ${
              closeExposure(a).length
                ? closeExposure(a)
                    .map((c) => c.title)
                    .join('; ')
                : 'none to close (SSH tunnel only)'
            }`,
            'fail-closed: if the switch fails, the previous files come back but the gateway stays stopped',
          ],
          actions,
        },
      ],
    },
    configDiff: unifiedDiff(d.configText, locked.text, { from: `${p.config} (on the server)`, to: `${p.config} (locked)` }),
    again,
    after: [
      `LOCKED: no channel answers, exec and every risky tool are denied, nothing is published${a.access.mode === 'ssh-tunnel' ? '' : ` (${a.access.mode} is off)`}.`,
      `The gateway token is new: the Control UI (through the SSH tunnel) needs it. Read it with: ssh -p ${a.ssh.port} ${a.deployUser.name}@${host} sudo grep ${TOKEN} ${p.env}`,
      'A leaked channel or provider credential is still valid at its provider: revoke it there, then `claw-setup rotate NAME`.',
      'Undo with `claw-setup unlock` (the config and exposure from the snapshot; the token stays the new one).',
    ],
  };
}

/** `unlock`: the snapshot's config (`snapshotText`, read from `snapshotDir`) and exposure back; the token stays. */
export function planUnlock(a: Answers, d: Deployed, snapshot: { dir: string; configText: string }, host: string, now: Date): BrakePlan {
  const p = serverPaths(a);
  const rec = lockRecord(d.journal);
  if (rec?.state !== 'locked') throw new UserError(`${host} is not locked down`, 'nothing to unlock (claw-setup status shows the deployment)');
  const candidate = `${p.config}.candidate`;
  const probes = enabledChannels(snapshot.configText, `${snapshot.dir}/openclaw.json`).filter((t): t is ChannelType =>
    (CHANNEL_TYPES as readonly string[]).includes(t),
  );
  const group = guarded({
    id: 'unlock',
    title: 'the snapshot config and exposure back, recreate, prove (the new token stays)',
    backup: [p.config],
    // Fail closed: the locked config comes back, the exposure closes again, the gateway runs locked.
    afterRestore: [`rm -f -- ${shQuote(candidate)}`, ...closeExposure(a).map((c) => shJoin(c.argv)), shJoin(recreateArgv(p))],
    actions: [
      ...candidateActions(p, candidate, snapshot.configText, `as it was before the lockdown of ${rec.since}`),
      stopGateway(p),
      run('switch to the snapshot config', ['mv', '-f', '--', candidate, p.config]),
      recreateGateway(p, 'the snapshot config'),
      ...openExposure(a),
    ],
    gates: [
      healthGate(a),
      gate('the token made at the lockdown opens the API; the one from before the lockdown stays refused', {
        type: 'remote',
        argv: tokenSwitchedArgv(a, `${snapshot.dir}/.env`),
      }),
      ...probes.map((t) => probeGate(p, t)),
      ...exposureOpenGate(a),
    ],
  });
  const record: LockRecord = { ...rec, state: 'unlocked', unlockedAt: now.toISOString().replace(/\.\d+Z$/, 'Z') };
  return {
    plan: {
      header: [`claw-setup ${VERSION}: unlock ${host} (locked since ${rec.since})`, `From the snapshot in ${snapshot.dir}; the gateway token is NOT put back.`],
      steps: [
        {
          id: 'channel',
          title: 'Unlock: the config and exposure from before the lockdown, with the new gateway token',
          summary: [
            `openclaw.json from ${snapshot.dir}; channels probed: ${probes.join(', ') || 'none'}${a.access.mode === 'ssh-tunnel' ? '' : `; ${a.access.mode} back on`}`,
            'fail-closed: if anything fails, the locked config comes back and the exposure closes again',
          ],
          actions: [
            keepCopy(p, 'unlock', 'unlock', [p.config]),
            group,
            journalUpdate(p, d.journal, a, 'journal: the lockdown is lifted (no secrets)', { lockdown: record }),
          ],
        },
      ],
    },
    configDiff: unifiedDiff(d.configText ?? '', snapshot.configText, { from: `${p.config} (locked)`, to: `${p.config} (snapshot)` }),
    after: [
      'UNLOCKED: the config and exposure are as before the lockdown.',
      `The gateway token stays the one made at the lockdown (the old one may be what leaked, so it never comes back): every client that used the old token (the Control UI, scripts with ${TOKEN}) needs the new one.`,
      `Read it with: ssh -p ${a.ssh.port} ${a.deployUser.name}@${host} sudo grep ${TOKEN} ${p.env}`,
    ],
  };
}
