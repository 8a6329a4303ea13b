import { answersSchema, type Answers } from '../../answers/schema.js';
import { terminalSafe } from '../../core/terminal-text.js';
import type { Executor } from '../../exec/types.js';
import { deployedProbeArgv, parseDeployed } from '../../facts/deployed.js';
import { serverPaths } from '../../plan/paths.js';
import { formatStatus, parseStatus } from '../../plan/status.js';
import { renderStatusScript } from '../../../templates/status-script.js';
import type { HomeInfo } from './home-state.js';

/** Between the deployment's part and the status part of the one round trip (never a base64 or section line). */
const SPLIT = '@@claw-home-split@@';

/**
 * One command that reads the deployment (journal, openclaw.json, the .env names: facts/deployed.ts)
 * and then runs `claw-setup status`'s script, so the home screen costs one round trip after the
 * connection. Both parts are read-only and already used by the CLI as they are.
 */
export function homeReadArgv(guess: Answers): string[] {
  const [, , deployedScript, , ...paths] = deployedProbeArgv(serverPaths(guess));
  const script = `${deployedScript}\nprintf '\\n%s\\n' ${SPLIT}\nbash -c "$4"`;
  return ['bash', '-c', script, 'sh', ...paths, renderStatusScript(guess)];
}

function splitHome(stdout: string): [string, string] {
  const at = stdout.indexOf(`\n${SPLIT}\n`);
  return at < 0 ? [stdout, ''] : [stdout.slice(0, at), stdout.slice(at + SPLIT.length + 2)];
}

const statusLines = (out: string): string[] => {
  try {
    return formatStatus(parseStatus(out)).map((l) => terminalSafe(l));
  } catch {
    return ['status    could not be read (the status script did not finish)'];
  }
};

/**
 * What the home screen shows, or null when the server holds no claw-setup deployment (no
 * journal, or one this version cannot read: then the wizard goes on as for a first setup).
 * `guess` gives the paths before the journal is known (the defaults, the deploy user typed);
 * when the journal's answers put things elsewhere, the status is read once more with them.
 */
export async function readHome(exec: Executor, guess: Answers): Promise<HomeInfo | null> {
  const r = await exec.run(homeReadArgv(guess), { purpose: 'probe', timeoutSec: 60 });
  const [deployedOut, statusOut] = splitHome(r.stdout);
  const d = parseDeployed(deployedOut);
  const parsed = answersSchema.safeParse(d.journalAnswers);
  if (!parsed.success) return null;
  const a = parsed.data;
  let lines = statusLines(statusOut);
  if (renderStatusScript(a) !== renderStatusScript(guess) || serverPaths(a).env !== serverPaths(guess).env) {
    const again = await exec.run(homeReadArgv(a), { purpose: 'probe', timeoutSec: 60 });
    const [dOut, sOut] = splitHome(again.stdout);
    lines = statusLines(sOut);
    d.envKeys = parseDeployed(dOut).envKeys;
  }
  return {
    journalAnswers: d.journalAnswers as Record<string, unknown>,
    envKeys: d.envKeys,
    lines,
    version: a.openclaw.version ?? null,
    channels: a.openclaw.channels.map((c) => c.type),
  };
}

/** The answers whose paths the first read assumes: the draft's target and deploy user, defaults for the rest. */
export function guessAnswers(draft: Record<string, unknown>): Answers {
  const r = answersSchema.safeParse({ target: draft.target, deployUser: draft.deployUser });
  return r.success ? r.data : answersSchema.parse({ target: draft.target });
}
