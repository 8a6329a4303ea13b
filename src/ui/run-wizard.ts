import type { WizardArgs } from './wizard-args.js';
import { UserError } from '../core/errors.js';
import type { Io } from '../core/io.js';
import type { WizardDeps } from './deps.js';
import { initialState } from './init.js';
import { dryRunOutro } from './plan-file.js';
import { realDeps } from './real-deps.js';
import { exitCode, type WizardState } from './wizard/reducer.js';
import { wizardReducer } from './wizard/home-reducer.js';

/**
 * Loads `load` while the global `fetch` reads as absent, then puts Node's own back untouched.
 * Why: Ink's layout engine (yoga, WebAssembly built by emscripten) asks `typeof fetch` when it
 * starts, and in Node 20 the first touch of `fetch` loads and compiles Node's whole HTTP client
 * (undici): 10–25 ms of the first frame, for a check whose answer is not used (the WebAssembly
 * is inline, never fetched). The property's descriptor is read, never its getter.
 */
export async function withoutFetchProbe<T>(load: () => Promise<T>): Promise<T> {
  const own = Object.getOwnPropertyDescriptor(globalThis, 'fetch');
  if (!own?.configurable) return load();
  Object.defineProperty(globalThis, 'fetch', { value: undefined, configurable: true, writable: true, enumerable: own.enumerable });
  try {
    return await load();
  } finally {
    Object.defineProperty(globalThis, 'fetch', own);
  }
}

/**
 * With `home`, the wizard opens on the deployed server's summary and menu and may end by handing
 * a menu action back (state.home.chosen, given to `onEnd`) for cli/home.ts to run. `start` skips
 * Welcome (the menu again, after an action: the target is given and connects at once).
 */
export interface HomeMount {
  home?: boolean;
  start?: boolean;
  onEnd?: (s: WizardState) => void;
}

/**
 * The full-screen wizard. Only ever called with a terminal (main.ts checks;
 * this checks again so Ink can never mount on a pipe). Returns the exit code.
 */
export async function runWizard(args: WizardArgs, io: Io, deps: WizardDeps = realDeps(args, io.env), o: HomeMount = {}): Promise<number> {
  if (!io.isTTY) throw new UserError('no terminal for the wizard', 'pass --answers FILE --yes, or --dry-run to print the plan');
  // chalk (under Ink) knows FORCE_COLOR but not NO_COLOR; it reads it when first loaded, so set it before mounting.
  if (io.env.NO_COLOR && process.env.FORCE_COLOR === undefined) process.env.FORCE_COLOR = '0';
  // Ink draws only the last frame when CI or CONTINUOUS_INTEGRATION is set (read once, when it loads).
  // We mount it only in a real terminal, where every screen must show, so turn that off first.
  for (const k of ['CI', 'CONTINUOUS_INTEGRATION']) if (process.env[k] !== undefined) process.env[k] = 'false';
  const first = initialState({ args, env: io.env, online: Boolean(deps.connect), home: o.home });
  const init = o.start ? wizardReducer(first, { type: 'start' }) : first;
  const { mountWizard } = await withoutFetchProbe(() => import('./mount.js'));
  const { state, built } = await mountWizard(init, deps);
  // The plan goes to a file, so the terminal ends on what to do next (issue 21 item 6).
  if (state.dryRun && state.phase === 'done' && built) dryRunOutro(built.text, io);
  o.onEnd?.(state);
  return state.phase === 'handoff' ? 0 : exitCode(state);
}
