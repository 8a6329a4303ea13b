import type { WizardArgs } from './wizard-args.js';
import { createEd25519Key } from '../exec/keygen.js';
import { writeNewLocalFile } from '../exec/local-file.js';
import { osKeyFromFlag } from '../plan/facts.js';
import type { WizardDeps } from './deps.js';
import { PacedExecutor, simulatedServer } from './paced-executor.js';

/** Milliseconds per recorded call in a dry-run apply: fast, but slow enough to watch. */
const DRY_PACE_MS = 10;

/**
 * The real outside world for the wizard and the plain prompts: ssh-keygen, local files, the
 * SSH connection, the paced simulated server a dry run applies to. Tests pass fakes instead.
 */
export function realDeps(args: WizardArgs, env: NodeJS.ProcessEnv): WizardDeps {
  const dry = args.dryRun || args.command === 'plan';
  return {
    env,
    os: osKeyFromFlag(args.os),
    now: Date.now,
    keygen: (path) => createEd25519Key(path),
    saveFile: (path, text) => writeNewLocalFile(path, text),
    connectFlags: { sshOptions: args.sshOptions, knownHosts: args.knownHosts, force: args.force },
    dryExecutor: () => {
      const rec = simulatedServer();
      return { exec: new PacedExecutor(rec, DRY_PACE_MS), count: () => rec.calls.length };
    },
    connect: dry ? undefined : async (o) => (await import('../rollout/session.js')).openLink(o),
  };
}
