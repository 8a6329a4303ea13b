import { inspect } from 'node:util';

/**
 * A secret value that can travel through plans, logs and errors without leaking.
 * It prints as `<secret:NAME>` in `toString`, JSON and `util.inspect`; only the
 * executor (src/exec) calls `reveal()`, and only to feed a process's stdin or a
 * file created with mode 600.
 */
export class Secret {
  readonly name: string;
  /** Where the value comes from, for messages: "env CLAW_SUDO_PASSWORD", "file ~/x", "generated". Never the value. */
  readonly origin: string;
  readonly #load: () => string;
  #value: string | undefined;

  constructor(name: string, origin: string, load: () => string) {
    this.name = name;
    this.origin = origin;
    this.#load = load;
  }

  /** A secret whose value is already known (typed at a prompt, read from the server). */
  static of(name: string, value: string, origin = 'prompt'): Secret {
    return new Secret(name, origin, () => value);
  }

  /** The plain value. Only src/exec may call this. Loads lazily, once. */
  reveal(): string {
    if (this.#value === undefined) this.#value = this.#load();
    return this.#value;
  }

  /** True when the value can be loaded (env var set, file readable); never throws. */
  available(): boolean {
    try {
      this.reveal();
      return true;
    } catch {
      return false;
    }
  }

  get placeholder(): string {
    return `<secret:${this.name}>`;
  }
  toString(): string {
    return this.placeholder;
  }
  toJSON(): string {
    return this.placeholder;
  }
  [inspect.custom](): string {
    return this.placeholder;
  }
}

/** Text that may hold secrets: literal parts and Secret parts, in order. */
export type SecretText = readonly (string | Secret)[];

/** Builds SecretText from a template literal: secretText`KEY=${secret}\n`. */
export function secretText(strings: TemplateStringsArray, ...values: (string | number | Secret)[]): SecretText {
  const parts: (string | Secret)[] = [];
  strings.forEach((s, i) => {
    if (s) parts.push(s);
    if (i < values.length) {
      const v = values[i];
      parts.push(v instanceof Secret ? v : String(v));
    }
  });
  return joinText(parts);
}

/** Normalises a string or SecretText into SecretText, merging adjacent literal parts. */
export function joinText(parts: readonly (string | Secret | SecretText)[]): SecretText {
  const out: (string | Secret)[] = [];
  for (const p of parts) {
    const items = typeof p === 'string' || p instanceof Secret ? [p] : p;
    for (const item of items) {
      const last = out[out.length - 1];
      if (typeof item === 'string' && typeof last === 'string') out[out.length - 1] = last + item;
      else if (item !== '') out.push(item);
    }
  }
  return out;
}

/** The text with every secret replaced by its placeholder: safe to print. */
export function redactText(text: string | SecretText): string {
  if (typeof text === 'string') return text;
  return text.map((p) => (typeof p === 'string' ? p : p.placeholder)).join('');
}

/** The text with secrets revealed. Only src/exec may call this. */
export function revealText(text: string | SecretText): string {
  if (typeof text === 'string') return text;
  return text.map((p) => (typeof p === 'string' ? p : p.reveal())).join('');
}

/** The secrets a text holds. */
export function secretsIn(text: string | SecretText | undefined): Secret[] {
  if (!text || typeof text === 'string') return [];
  return text.filter((p): p is Secret => p instanceof Secret);
}

/**
 * Replaces every occurrence of any secret's value in `s` with its placeholder.
 * Used on process output and error text before anything is shown or logged.
 */
export function redactKnown(s: string, secrets: Iterable<Secret>): string {
  let out = s;
  for (const sec of secrets) {
    let v: string;
    try {
      v = sec.reveal();
    } catch {
      continue;
    }
    if (v.length >= 4) out = out.split(v).join(sec.placeholder);
  }
  return out;
}
