/**
 * How a walk of the plan ends early, shared by the step walk (runner.ts) and
 * the guarded-group walk (guarded-walk.ts): an Outcome per action, and a Stop
 * thrown to end the whole run with a plain-words report.
 */

/** How one action ended. */
export type Outcome = { ok: true; did: boolean } | { ok: false; why: string };

/** Raised inside the walk to stop it; carries the plain-words report. */
export class Stop {
  constructor(
    readonly status: 'failed' | 'cancelled',
    readonly report: string[],
  ) {}
}

/** Ends a clause with exactly one full stop. */
export const sentence = (s: string) => `${s.replace(/[.\s]+$/, '')}.`;

export const errText = (e: unknown) => (e instanceof Error ? e.message : String(e));
