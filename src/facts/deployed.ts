import type { Executor } from '../exec/types.js';
import type { Argv } from '../plan/action.js';
import type { Deployed } from '../../steps/channel.js';

/** Where the journal, the config and .env are (serverPaths of the deployed answers). */
export interface DeployedPaths {
  journal: string;
  config: string;
  env: string;
}

/**
 * What a running deployment holds, read in one round trip, read-only: the
 * journal, openclaw.json, and the NAMES of the variables in .env (the values
 * never leave the server). Each part comes back base64-encoded on its own line,
 * or "-" when the file is missing.
 */
export function deployedProbeArgv(p: DeployedPaths): Argv {
  const script = [
    'part() { if [ -f "$2" ]; then printf "%s " "$1"; $3 "$2" | base64 -w0; echo; else echo "$1 -"; fi; }',
    'names() { sed -n "s/^\\([A-Za-z_][A-Za-z0-9_]*\\)=.*/\\1/p" -- "$1"; }',
    'part journal "$1" cat',
    'part config "$2" cat',
    'part env "$3" names',
  ].join('\n');
  return ['sh', '-c', script, 'sh', p.journal, p.config, p.env];
}

export function parseDeployed(stdout: string): Deployed {
  const parts = new Map<string, string | null>();
  for (const line of stdout.split('\n')) {
    const m = /^(journal|config|env) (.*)$/.exec(line.trim());
    if (m) parts.set(m[1], m[2] === '-' ? null : Buffer.from(m[2], 'base64').toString('utf8'));
  }
  let journal: Record<string, unknown> | null = null;
  try {
    const j = parts.get('journal');
    if (j) journal = JSON.parse(j) as Record<string, unknown>;
  } catch {
    journal = null;
  }
  const env = parts.get('env');
  return {
    configText: parts.get('config') ?? null,
    envKeys: env ? env.split('\n').filter(Boolean) : [],
    journal,
    journalAnswers: journal?.answers ?? null,
  };
}

/** Reads the deployment (one command over the admin connection). */
export async function readDeployed(exec: Executor, p: DeployedPaths): Promise<Deployed> {
  const r = await exec.run(deployedProbeArgv(p), { purpose: 'probe', timeoutSec: 30 });
  if (r.code !== 0) throw new Error(`reading the deployment failed (exit ${r.code}): ${r.stderr.trim().slice(0, 300)}`);
  return parseDeployed(r.stdout);
}
