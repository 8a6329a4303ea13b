import { z } from 'zod';
import { envName, localPath } from './validators.js';

const NOT_INLINE = 'secrets are never written inline (answers files get committed): use { env: "NAME" } or { file: "PATH" }';

/** Where a secret's value comes from. Its own file: every part of the answers schema (channels, providers, backups, alerts) takes one. */
export const secretRef = z.union([z.strictObject({ env: envName }), z.strictObject({ file: localPath })], {
  error: (iss) => (typeof iss.input === 'string' ? NOT_INLINE : 'a secret is { env: "NAME" } or { file: "PATH" }'),
});
export type SecretRef = z.infer<typeof secretRef>;
