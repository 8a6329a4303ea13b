import type { z } from 'zod';
import type { SecretRef } from '../../answers/secret-ref.js';
import type { Facts } from '../../plan/facts.js';
import type { Secret } from '../../core/secret.js';
import type { Path } from './draft.js';

/** The question screens, one per step group, in the order they are asked. */
export const SCREENS = [
  ['target', 'Server'],
  ['deploy-user', 'Deploy user'],
  ['firewall', 'Firewall'],
  ['tailscale', 'Tailscale'],
  ['ssh', 'SSH'],
  ['fail2ban', 'fail2ban'],
  ['updates', 'Updates'],
  ['openclaw', 'OpenClaw'],
  ['channels', 'Channels'],
  ['access', 'Access'],
  ['backups', 'Backups'],
  ['monitoring', 'Monitoring'],
] as const;
export type ScreenId = (typeof SCREENS)[number][0];
export const screenTitle = (id: ScreenId): string => SCREENS.find(([s]) => s === id)![1];

export type FieldKind = 'text' | 'number' | 'bool' | 'select' | 'multi' | 'list' | 'secret';
export interface Option {
  label: string;
  value: string;
}

/** What the operator answered for one field. Secrets are held only as Secret objects. */
export type FieldValue = string | number | boolean | string[] | null | Secret;
export type Values = Readonly<Record<string, FieldValue>>;

export interface SecretSpec {
  /** The override name secretsFor() looks up (SUDO_PASSWORD, TS_AUTHKEY, ANTHROPIC_API_KEY, …). */
  name: string;
  /** The reference the draft (and a saved answers file) keeps for the typed value. */
  ref: SecretRef;
  /** Typed twice, must match (the sudo password). */
  confirm?: boolean;
  /** Extra shape check; returns the message or null. Never echoes the value. */
  check?: (v: string) => string | null;
  /** A dry run: an empty entry is accepted and the plan shows <secret:NAME> (nothing reads the value). */
  dryRun?: boolean;
}

/** One question. Fields are data built from the draft by the question modules. */
export interface Field {
  id: string;
  screen: ScreenId;
  label: string;
  hint?: string;
  kind: FieldKind;
  /** Where the answer lands in the draft; null for wizard-only choices. */
  path: Path | null;
  /** Validates the parsed value; a piece of the answers schema for path fields. */
  schema?: z.ZodType;
  options?: Option[];
  /** The value shown before the operator types (answered, provided, probed or schema default). Never a secret. */
  initial: string | boolean | string[] | number | null;
  /** Text/list may be left empty (→ null / []). */
  optional?: boolean;
  /** Text field: message when left empty and not optional. */
  required?: string;
  secret?: SecretSpec;
  /** Side effect to run before the answer is accepted (create the key). */
  effect?: 'keygen';
  /** Set when the answer came from flags, env or the answers file: shown, never asked. */
  given?: string;
  /** How the answered value is summarised afterwards. */
  display?: (v: FieldValue) => string;
}

/** A private key in ~/.ssh with a matching .pub, offered on the Target screen. */
export interface KeyChoice {
  path: string;
  label: string;
}

/** What the question modules may read besides the draft. Plain data. */
export interface WalkContext {
  /** Paths (dot-joined) the flags, environment or answers file already answered. */
  provided: ReadonlySet<string>;
  /** True when a secret reference can be read now (env var set, file readable). */
  available: (ref: SecretRef) => boolean;
  keys: readonly KeyChoice[];
  /** Facts from the read-only probe once connected; null before (and in dry-run). */
  facts: Facts | null;
  /** Suggested path for a new key (one that does not exist yet). */
  newKeyPath: string;
  /** A dry run: nothing is created, not even a new key (it is made when the run is for real). */
  dryRun?: boolean;
}
