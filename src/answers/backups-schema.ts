import { z } from 'zod';
import { ageRecipient, backupDir, resticRepository, sshHostKey } from './backup-fields.js';
import { secretRef } from './secret-ref.js';
import { timeOfDay } from './validators.js';

/** The backups section of the answers: the local archives and the off-server copy (restic, encrypted with age). */

/** The names the off-server copy's secrets carry (`<secret:NAME>`), and their default references. */
export const OFFSITE_SECRETS = {
  password: { name: 'RESTIC_PASSWORD', ref: { env: 'RESTIC_PASSWORD' } },
  s3AccessKeyId: { name: 'AWS_ACCESS_KEY_ID', ref: { env: 'AWS_ACCESS_KEY_ID' } },
  s3SecretAccessKey: { name: 'AWS_SECRET_ACCESS_KEY', ref: { env: 'AWS_SECRET_ACCESS_KEY' } },
} as const;

const keepCount = (max: number, def: number) => z.number().int().min(0).max(max).default(def);

/** backups.offsite: a restic repository off the server (SFTP or S3-compatible), with retention. */
const offsite = z
  .strictObject({
    repository: resticRepository,
    /** restic's repository password (it lives on the server in a mode-600 file; keep a copy off it). */
    password: secretRef.default({ ...OFFSITE_SECRETS.password.ref }),
    /** S3 credentials: only for an s3: repository. */
    s3AccessKeyId: secretRef.optional(),
    s3SecretAccessKey: secretRef.optional(),
    /** SFTP only: the storage host's public host key; without it the first connection pins it (accept-new). */
    sftpHostKey: sshHostKey.optional(),
    keep: z.strictObject({ daily: keepCount(365, 7), weekly: keepCount(520, 4), monthly: keepCount(240, 12) }).default({ daily: 7, weekly: 4, monthly: 12 }),
  })
  .superRefine((o, ctx) => {
    const add = (path: PropertyKey[], message: string) => ctx.addIssue({ code: 'custom', path, message });
    const s3 = o.repository.startsWith('s3:');
    if (s3 && (!o.s3AccessKeyId || !o.s3SecretAccessKey))
      add(
        [o.s3AccessKeyId ? 's3SecretAccessKey' : 's3AccessKeyId'],
        'an s3: repository needs s3AccessKeyId and s3SecretAccessKey as secret references, e.g. { env: "AWS_ACCESS_KEY_ID" } and { env: "AWS_SECRET_ACCESS_KEY" }',
      );
    if (!s3 && (o.s3AccessKeyId || o.s3SecretAccessKey)) add(['s3AccessKeyId'], 's3AccessKeyId/s3SecretAccessKey are only for an s3: repository');
    if (s3 && o.sftpHostKey) add(['sftpHostKey'], 'sftpHostKey is only for an sftp: repository');
    if (o.keep.daily + o.keep.weekly + o.keep.monthly === 0) add(['keep'], 'keep at least one snapshot: set keep.daily, keep.weekly or keep.monthly above 0');
  });

export const backups = z
  .strictObject({
    enabled: z.boolean().default(true),
    dir: backupDir.default('/var/backups/openclaw'),
    keepDays: z.number().int().min(1).max(3650).default(14),
    time: timeOfDay.default('03:00'),
    /** The operator's age public key: archives are encrypted to it before they leave the server (the identity never goes there). */
    ageRecipient: ageRecipient.nullable().default(null),
    offsite: offsite.nullable().default(null),
  })
  .superRefine((b, ctx) => {
    if (b.offsite && !b.ageRecipient)
      ctx.addIssue({
        code: 'custom',
        path: ['ageRecipient'],
        message: 'an off-server copy is encrypted with your age key before it leaves the server: set backups.ageRecipient (age-keygen -y YOUR-KEY-FILE)',
      });
    if (b.ageRecipient && !b.offsite)
      ctx.addIssue({
        code: 'custom',
        path: ['ageRecipient'],
        message: 'ageRecipient is used only for the off-server copy: set backups.offsite too, or remove it',
      });
    if (b.offsite && !b.enabled) ctx.addIssue({ code: 'custom', path: ['offsite'], message: 'an off-server copy needs backups.enabled: true' });
  });
