import { render } from 'ink';
import { App, type WizardOutcome } from './app.js';
import type { WizardDeps } from './deps.js';
import type { WizardState } from './wizard/reducer.js';

/** Mounts Ink on the real terminal (only ever called with a TTY) and resolves when the wizard ends. */
export async function mountWizard(init: WizardState, deps: WizardDeps): Promise<WizardOutcome> {
  let outcome: WizardOutcome = { state: init, built: null };
  const instance = render(<App init={init} deps={deps} onExit={(o) => (outcome = o)} />, {
    exitOnCtrlC: false,
    patchConsole: true,
  });
  await instance.waitUntilExit();
  return outcome;
}
