import type { Answers } from '../answers/schema.js';
import { Secret, type SecretText } from '../core/secret.js';
import type { Action, Plan, RunAction, WriteAction } from '../plan/action.js';
import { AUTO_OPERATOR_IP } from '../plan/context.js';

/**
 * What the exporters share: one generated file, what they read from a plan,
 * and how plan text (which may hold secrets and the operator-address
 * placeholder) becomes engine text without ever holding a secret's value.
 */

/** One generated file of an export: its path inside the export and its text. */
export interface ExportFile {
  path: string;
  content: string;
  /** Octal permission bits for the local copy (0o755 for scripts the operator runs). */
  mode: number;
}

/** What an exporter reads: the plan (the same objects the printer and the runner read) and the answers it came from. */
export interface ExportInput {
  plan: Plan;
  answers: Answers;
  /** The deploy user's sudo password (only its name is used: a vault variable or a placeholder). */
  sudoPassword: Secret;
}

/** The vault variable a secret becomes in Ansible: `vault_` + its name in lower case. */
export const vaultVar = (s: Secret | string) => `vault_${(typeof s === 'string' ? s : s.name).toLowerCase().replace(/[^a-z0-9_]/g, '_')}`;

/** The Ansible variable that holds the break-glass address when the answers say "auto" (detected at run time). */
export const OPERATOR_VAR = 'claw_operator_ip';

/** Jinja would read these in literal text: `{{`, `{%` and `{#` (bash's `${#x}` has one). */
const JINJA = /\{[{%#]|[}%#]\}/;

/** Literal text Ansible must not template: wrapped in a raw block when it holds Jinja delimiters. */
export function rawJinja(s: string): string {
  if (!JINJA.test(s)) return s;
  if (s.includes('{% endraw %}')) throw new Error(`bug: literal text holds "{% endraw %}" and cannot be passed to Ansible untemplated`);
  return `{% raw %}${s}{% endraw %}`;
}

/** A literal plan string as Ansible text: the operator placeholder becomes the detected address, everything else stays literal. */
export function jinjaString(s: string): string {
  return s.split(AUTO_OPERATOR_IP).map(rawJinja).join(`{{ ${OPERATOR_VAR} }}`);
}

/** SecretText as Ansible text: secrets become vault variable references, never values. */
export function jinjaSecretText(t: SecretText): string {
  return t.map((p) => (p instanceof Secret ? `{{ ${vaultVar(p)} }}` : jinjaString(p))).join('');
}

/** True when the text needs templating on the way out (a secret or the operator placeholder). */
export function needsTemplate(t: SecretText): boolean {
  return t.some((p) => p instanceof Secret || p.includes(AUTO_OPERATOR_IP));
}

export const hasSecret = (t: SecretText | undefined) => !!t && t.some((p) => p instanceof Secret);

/** Every secret a plan reveals, each name once, in plan order. */
export function secretNames(plan: Plan): Secret[] {
  const out = new Map<string, Secret>();
  const add = (t: SecretText | undefined) => t?.forEach((p) => p instanceof Secret && !out.has(p.name) && out.set(p.name, p));
  for (const s of plan.steps)
    for (const a of s.actions)
      for (const x of a.kind === 'guarded' ? a.actions : [a]) {
        if (x.kind === 'run') add(x.stdin);
        if (x.kind === 'write') add(x.content);
      }
  return [...out.values()];
}

/** The plan still holds the operator-address placeholder (answers operatorIp "auto", planned offline). */
export function usesOperatorPlaceholder(plan: Plan): boolean {
  const inText = (t: SecretText | undefined) => !!t && t.some((p) => typeof p === 'string' && p.includes(AUTO_OPERATOR_IP));
  const inArgv = (a: readonly string[] | undefined) => !!a && a.some((w) => w.includes(AUTO_OPERATOR_IP));
  const visit = (a: Action): boolean => {
    switch (a.kind) {
      case 'run':
        return inArgv(a.argv) || inArgv(a.skipIf) || inText(a.stdin);
      case 'write':
        return inText(a.content) || inArgv(a.skipIf);
      case 'gate':
        return a.check.type === 'remote' && inArgv(a.check.argv);
      case 'guarded':
        return inArgv(a.skipIf) || [...a.actions, ...a.gates].some(visit);
    }
  };
  return plan.steps.some((s) => s.actions.some(visit));
}

export type Leaf = RunAction | WriteAction;

/** "create user deploy" → "Create user deploy" (task names start with a capital letter). */
export const capital = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

const octal = (mode: number) => mode.toString(8).padStart(4, '0');
export { octal };
