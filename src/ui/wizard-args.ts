import type { AnswerFlags } from '../answers/load.js';

/**
 * What the wizard and the plain prompts read from the command line: the answers flags, and
 * the few flags that shape the run. Declared here, not taken from cli/args.ts, because ui/
 * sits below cli/ (the layer rule); the CLI's CliArgs satisfies it as it is.
 */
export interface WizardArgs extends AnswerFlags {
  /** `plan` runs the wizard as a dry run. */
  command: string;
  dryRun: boolean;
  /** --os: the offline plan target. */
  os?: string;
  knownHosts?: string;
  force: boolean;
}
