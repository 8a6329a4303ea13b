/**
 * The hold the runner awaits between actions (RunPlanOptions.hold): closed
 * while the "Stop applying?" question is open, so nothing more starts until
 * it is answered. The same for a dry run and a real apply.
 */
export class ApplyPause {
  #held: Promise<void> | null = null;
  #release: (() => void) | null = null;

  /** Holds (true) or lets the run go on (false). */
  set(held: boolean): void {
    if (held && !this.#held) this.#held = new Promise<void>((r) => (this.#release = r));
    if (!held && this.#held) {
      this.#release?.();
      this.#held = null;
      this.#release = null;
    }
  }

  /** For RunPlanOptions.hold: resolves at once, or when the hold is lifted. */
  readonly wait = (): Promise<void> => this.#held ?? Promise.resolve();
}
