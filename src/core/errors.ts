/** The error taxonomy. Only bin/ maps these to exit codes. */
import { terminalSafe } from './terminal-text.js';

/** Bad input or an unreachable host: the message says what is wrong, howToFix what to do. Exit 1. */
export class UserError extends Error {
  readonly howToFix: string | undefined;
  constructor(message: string, howToFix?: string) {
    super(message);
    this.name = 'UserError';
    this.howToFix = howToFix;
  }
}

/** The operator cancelled. Exit 130. */
export class CancelledError extends Error {
  constructor(message = 'Cancelled. Nothing was changed.') {
    super(message);
    this.name = 'CancelledError';
  }
}

/** A step failed and its group was reverted. Exit 2. `report` is plain words, already redacted. */
export class StepFailedError extends Error {
  readonly report: string[];
  constructor(message: string, report: string[] = []) {
    super(message);
    this.name = 'StepFailedError';
    this.report = report;
  }
}

/**
 * `audit` could not produce a scorecard (no connection, bad input, the script stopped): exit 3, apart
 * from its own 1 (warnings) and 2 (failures). Printed as `why`, the error that stopped it.
 */
export class NotAuditedError extends Error {
  readonly why: Error;
  constructor(why: Error) {
    super(why.message);
    this.name = 'NotAuditedError';
    this.why = why;
  }
}

/** 70 (EX_SOFTWARE) is for bugs only: an error that is none of the above. */
export const EXIT = { ok: 0, user: 1, failed: 2, notAudited: 3, cancelled: 130, bug: 70 } as const;

/** Maps an error to its exit code and the text to print (never a stack for expected errors). */
export function describeError(err: unknown): { code: number; text: string } {
  const d = describeRaw(err);
  // Reports quote server output (docker logs, stderr): never raw to a terminal.
  return { code: d.code, text: terminalSafe(d.text) };
}

function describeRaw(err: unknown): { code: number; text: string } {
  if (err instanceof NotAuditedError) {
    const w = err.why;
    // A lost connection (ExecError, from the exec layer) is no bug here: the audit could not run, that is all.
    const text = w instanceof UserError || w instanceof StepFailedError ? describeRaw(w).text : `error: the audit could not run: ${w.message}`;
    return { code: EXIT.notAudited, text };
  }
  if (err instanceof UserError) return { code: EXIT.user, text: `error: ${err.message}${err.howToFix ? `\n  how to fix: ${err.howToFix}` : ''}` };
  if (err instanceof CancelledError) return { code: EXIT.cancelled, text: err.message };
  if (err instanceof StepFailedError) return { code: EXIT.failed, text: [`failed: ${err.message}`, ...err.report.map((l) => `  ${l}`)].join('\n') };
  const e = err as Error;
  return { code: EXIT.bug, text: `internal error (a bug in claw-setup, please report it): ${e?.stack ?? String(err)}` };
}
