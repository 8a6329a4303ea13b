/**
 * Routes raw terminal input to the line input in focus, and keeps what is
 * typed between one line input's Enter and the next one's mount (a quick
 * typist, a loaded machine, a paste of several lines), so no key is lost.
 * What was typed ahead is dropped once something other than a line input has
 * focus: it was not meant for a line.
 */

/** What a line input did with raw input: null when it takes none now (it just submitted and is being replaced). */
export type LineTake = { submitted: boolean; rest: string } | null;
export type LineConsumer = (raw: string) => LineTake;

export class TypeAhead {
  #consumer: LineConsumer | null = null;
  #pending = '';
  /** A line input took Enter: keep what comes until the next line input focuses (or something else does). */
  #waiting = false;

  /** Raw input, in order, as the terminal delivered it. */
  readonly feed = (raw: string): void => {
    let rest = raw;
    while (rest) {
      const c = this.#consumer;
      const took = c ? c(rest) : null;
      if (!took) {
        if (c || this.#waiting) {
          this.#pending += rest;
          this.#waiting = true;
        }
        return;
      }
      // Still the same input after its Enter (React has not replaced it yet, or it stays): if it goes, hold what comes.
      if (took.submitted && this.#consumer === c) this.#waiting = true;
      rest = took.rest;
    }
  };

  /** A line input has focus (called on every commit it is mounted in): it gets what was typed ahead first. Returns the release. */
  focus(c: LineConsumer): () => void {
    this.#consumer = c;
    this.#waiting = false;
    const p = this.#pending;
    this.#pending = '';
    if (p) this.feed(p);
    return () => {
      if (this.#consumer === c) this.#consumer = null;
    };
  }

  /** Something other than a line input has focus: what was typed ahead is not for a line. */
  drop(): void {
    this.#pending = '';
    this.#waiting = false;
  }

  /** For tests: what is held. */
  get pending(): string {
    return this.#pending;
  }
}
