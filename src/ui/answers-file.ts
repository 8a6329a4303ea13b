import type { Answers } from '../answers/schema.js';
import type { SecretRef } from '../answers/secret-ref.js';
import { inlineSecretRefs, withoutInlineSecrets } from '../answers/secrets.js';
import { Secret } from '../core/secret.js';
import type { Field, Values } from './wizard/types.js';

/** The references whose values were typed at a prompt: the saved file names them, the operator sets them. */
export function typedRefs(fields: readonly Field[], values: Values): { label: string; ref: SecretRef }[] {
  return fields.filter((f) => f.secret && values[f.id] instanceof Secret).map((f) => ({ label: f.label, ref: f.secret!.ref }));
}

const refHint = (r: { label: string; ref: SecretRef }) =>
  'env' in r.ref ? `export ${r.ref.env}=…   # ${r.label}` : `write ${r.label} to ${r.ref.file} (mode 600)`;

/**
 * The answers as a JSON5 file. Secrets stay references ({ env } / { file }):
 * values typed at a prompt are not written; a note says what to set before
 * running with --answers. Refuses to write if a Secret object slipped in.
 */
export function renderAnswersFile(answers: Answers, atPrompt: { label: string; ref: SecretRef }[]): string {
  // A secret given inline (the ntfy topic typed in its text field) is saved as its reference, like a typed secret.
  const typed = [...atPrompt, ...inlineSecretRefs(answers)];
  const body = JSON.stringify(
    withoutInlineSecrets(answers),
    (_k, v: unknown) => {
      if (v instanceof Secret) throw new Error('internal: a secret value reached the answers file');
      return v;
    },
    2,
  );
  const head = [
    '// claw-setup answers (JSON5). Use with: claw-setup --answers THIS_FILE',
    '// Secrets are references ({ env: "NAME" } or { file: "PATH" }), never values.',
  ];
  if (typed.length) {
    head.push('// You typed these at a prompt; they were NOT saved. Before using this file, set:');
    for (const t of typed) head.push(`//   ${refHint(t)}`);
  }
  return `${head.join('\n')}\n${body}\n`;
}
