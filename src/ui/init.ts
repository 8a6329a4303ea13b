import { answersSchema } from '../answers/schema.js';
import { secretFromRef } from '../answers/secrets.js';
import { explainIssues } from '../answers/explain.js';
import { zodLookup } from '../answers/zod-lookup.js';
import type { WizardArgs } from './wizard-args.js';
import { UserError } from '../core/errors.js';
import { checkSshOptions, rawAnswersWithSources } from '../answers/load.js';
import { findPrivateKeys, freshKeyPath } from './ssh-keys.js';
import type { Draft } from './wizard/draft.js';
import { initWizard, type WizardState } from './wizard/reducer.js';
import type { KeyChoice, WalkContext } from './wizard/types.js';
import { initHome } from './home/home-state.js';

/** Every path (and every prefix of it) that the raw answers set: those questions are never asked. */
export function providedPaths(raw: unknown, prefix: string[] = [], out = new Set<string>()): Set<string> {
  if (raw && typeof raw === 'object') {
    for (const [k, v] of Object.entries(raw)) {
      const p = [...prefix, k];
      out.add(p.join('.'));
      if (v && typeof v === 'object' && !Array.isArray(v) && !('env' in v) && !('file' in v)) providedPaths(v, p, out);
    }
  }
  return out;
}

/**
 * Flags, environment and --answers, before any screen: a value given there
 * that the schema refuses is reported now, as in a non-interactive run
 * (the wizard never asks a given question, so it could not be fixed inside).
 */
export function loadBase(args: WizardArgs, env: NodeJS.ProcessEnv): { base: Draft; provided: Set<string> } {
  checkSshOptions(args.sshOptions);
  const { raw, sources } = rawAnswersWithSources(args, env);
  const base = raw as Draft;
  const provided = providedPaths(base);
  const r = answersSchema.safeParse(base);
  const bad = r.success
    ? []
    : r.error.issues.filter(
        (i) =>
          (i.path.length && provided.has(i.path.map(String).join('.'))) ||
          // A misspelt key given anywhere: the wizard would never ask it, so it would be dropped silently.
          i.code === 'unrecognized_keys',
      );
  if (bad.length) {
    const e = explainIssues(bad, { raw, sources, schema: zodLookup(answersSchema), fallback: 'the flags and environment', after: '' });
    throw new UserError(e.message, e.howToFix);
  }
  return { base, provided };
}

export interface InitOptions {
  args: WizardArgs;
  env: NodeJS.ProcessEnv;
  online: boolean;
  keys?: KeyChoice[];
  newKeyPath?: string;
  /** Open on the deployed server's summary and menu when the first connection finds a deployment (cli/home.ts). */
  home?: boolean;
}

/** The wizard's first state: what is already answered, the keys in ~/.ssh, how to tell whether a secret is readable. */
export function initialState(o: InitOptions): WizardState {
  const { base, provided } = loadBase(o.args, o.env);
  const ctx: WalkContext = {
    provided,
    available: (ref) => secretFromRef('check', ref, o.env).available(),
    keys: o.keys ?? findPrivateKeys(),
    facts: null,
    newKeyPath: o.newKeyPath ?? freshKeyPath(),
    dryRun: o.args.dryRun || o.args.command === 'plan',
  };
  return initWizard({ base, ctx, dryRun: ctx.dryRun!, online: o.online, home: o.home ? initHome() : undefined });
}
