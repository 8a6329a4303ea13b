/**
 * The wizard's home (issue 21): what it shows when it connects to a server that already runs a
 * claw-setup deployment (a journal), and the menu of what people come back for. Plain data, no
 * secret: the journal's answers hold references to secrets, never values.
 */
export interface HomeInfo {
  /** The answers the deployment was made with (the journal on the server). */
  journalAnswers: Record<string, unknown>;
  /** The names (never the values) of the variables in the server's .env. */
  envKeys: string[];
  /** `claw-setup status`'s one screen, line by line (already terminal-safe). */
  lines: string[];
  /** The OpenClaw version the journal records, or null. */
  version: string | null;
  /** Channel types the deployment runs. */
  channels: string[];
}

/** The menu, in the order shown. Each hands off to the CLI command of the same name except keep / modify / quit. */
export const HOME_ACTIONS = [
  ['add-channel', 'Add a channel'],
  ['remove-channel', 'Remove a channel'],
  ['pair', 'Pair a channel (approve a sender, link WhatsApp)'],
  ['first-reply', 'Send your bot a message and see it answer (first reply)'],
  ['rotate', 'Rotate a secret'],
  ['upgrade', 'Upgrade OpenClaw'],
  ['backup', 'Back up now'],
  ['restore', 'Restore a backup'],
  ['audit', 'Audit the server and the app'],
  ['keep', 'Re-apply the setup as it is (Keep)'],
  ['modify', 'Change the setup, section by section (Modify)'],
  ['quit', 'Quit'],
] as const;
export type HomeAction = (typeof HOME_ACTIONS)[number][0];

export interface HomeState {
  /** Null until the first connection read the server (or when it holds no deployment). */
  info: HomeInfo | null;
  /** The connection read the server and found no journal: a first setup, the questions go on. */
  checked: boolean;
  /** What the operator chose: the wizard ends (phase "handoff") and the caller runs it. */
  chosen: HomeAction | null;
}

export type HomeEvent = { type: 'menu'; action: HomeAction } | { type: 'section'; screen: string | null };

export const initHome = (): HomeState => ({ info: null, checked: false, chosen: null });
