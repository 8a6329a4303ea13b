import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';

/** True when the tmux binary runs. */
export function hasTmux(): boolean {
  try {
    execFileSync('tmux', ['-V'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * One command in a real terminal: a detached tmux session on its own socket
 * (never the user's tmux server), driven with send-keys and read with
 * capture-pane. Independent of bin/: give it any shell command.
 */
export class TmuxSession {
  readonly socket: string;
  constructor(readonly name: string) {
    this.socket = `claw-tty-${process.pid}-${name}`;
  }

  #tmux(...args: string[]): string {
    return execFileSync('tmux', ['-L', this.socket, '-f', '/dev/null', ...args], { encoding: 'utf8' });
  }

  /** Starts `command` (a shell line) in a width×height terminal with extra environment. */
  start(command: string, o: { width?: number; height?: number; env?: Record<string, string>; cwd?: string } = {}): void {
    const env = Object.entries(o.env ?? {})
      .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
      .join(' ');
    // Room for a whole printed plan in the scrollback (tmux keeps 2000 lines by default).
    this.#tmux(
      'set-option',
      '-g',
      'history-limit',
      '50000',
      ';',
      'new-session',
      '-d',
      '-s',
      this.name,
      '-x',
      String(o.width ?? 80),
      '-y',
      String(o.height ?? 24),
      '-c',
      o.cwd ?? process.cwd(),
      `env ${env} ${command}`,
    );
  }

  /** Types text literally (no key names). */
  type(text: string): void {
    this.#tmux('send-keys', '-t', this.name, '-l', text);
  }

  /** Types a line the way a person does: the text, a moment, then Enter (one chunk would be a paste). */
  async line(text: string): Promise<void> {
    this.type(text);
    await sleep(80);
    this.key('Enter');
  }

  /** Presses keys by tmux name: Enter, Escape, Down, Up, PageDown, C-c, Space, BSpace. */
  key(...keys: string[]): void {
    for (const k of keys) this.#tmux('send-keys', '-t', this.name, k);
  }

  /** The visible screen; `history` lines of scrollback too; `escapes` keeps colours as SGR codes. */
  capture(o: { history?: number; escapes?: boolean } = {}): string {
    return this.#tmux('capture-pane', '-p', '-t', this.name, ...(o.escapes ? ['-e'] : []), ...(o.history ? ['-S', String(-o.history)] : []));
  }

  async waitFor(re: RegExp, ms = 10000, o: { history?: number } = {}): Promise<string> {
    const end = Date.now() + ms;
    for (;;) {
      const screen = this.capture(o);
      if (re.test(screen)) {
        await sleep(60);
        return this.capture(o);
      }
      if (Date.now() > end) throw new Error(`tmux: timed out after ${ms} ms waiting for ${re}; screen:\n${screen}`);
      await sleep(25);
    }
  }

  /**
   * Waits until the screen differs from `before` (a key was handled), then a
   * little more: Ink widgets start listening for keys just after they are drawn.
   */
  async changed(before: string, ms = 3000): Promise<string> {
    const end = Date.now() + ms;
    for (;;) {
      await sleep(20);
      if (this.capture() !== before || Date.now() > end) break;
    }
    await sleep(60);
    return this.capture();
  }

  resize(width: number, height: number): void {
    this.#tmux('resize-window', '-t', this.name, '-x', String(width), '-y', String(height));
  }

  /** Stops this session's tmux server and removes its socket file. */
  kill(): void {
    let socketPath = '';
    try {
      socketPath = this.#tmux('display-message', '-p', '#{socket_path}').trim();
      this.#tmux('kill-server');
    } catch {
      // already gone
    }
    if (socketPath) rmSync(socketPath, { force: true });
  }
}
