import { basename, dirname, join } from 'node:path';
import type { CliArgs } from './args.js';
import { UserError } from '../core/errors.js';
import type { Io } from '../core/io.js';
import { exportAnsible } from '../export/ansible.js';
import { exportCloudInit } from '../export/cloud-init.js';
import type { ExportFile, ExportInput } from '../export/text.js';
import { offlinePlan } from './offline-plan.js';

export const EXPORT_ENGINES = ['ansible', 'cloud-init'] as const;
type Engine = (typeof EXPORT_ENGINES)[number];

function engineOf(args: CliArgs): Engine {
  const e = args.operand;
  if (e && (EXPORT_ENGINES as readonly string[]).includes(e)) return e as Engine;
  throw new UserError(
    e ? `unknown export engine "${e.slice(0, 40)}"` : 'export needs an engine: ansible or cloud-init',
    'run claw-setup export ansible --answers FILE [--out DIR], or claw-setup export cloud-init --answers FILE [--out FILE]',
  );
}

/** Every file as one reviewable listing: what --out would write. */
const listing = (files: ExportFile[]) => files.map((f) => `# ==> ${f.path} <==\n${f.content.endsWith('\n') ? f.content : `${f.content}\n`}`).join('\n');

/**
 * `claw-setup export ansible|cloud-init --answers F [--out DIR|FILE]`: the
 * offline plan (the same one `claw-setup plan` prints) rendered for Ansible or
 * cloud-init. Without --out the files are printed; no connection, no secret value.
 */
export async function exportCommand(args: CliArgs, io: Io): Promise<number> {
  const engine = engineOf(args);
  const planned = offlinePlan(args, io.env);
  const input: ExportInput = { plan: planned.plan, answers: planned.ctx.answers, sudoPassword: planned.ctx.secrets.sudoPassword };
  const { checkOutPaths, writeOutFiles } = await import('../exec/out-dir.js');
  if (engine === 'ansible') {
    const files = exportAnsible(input);
    if (!args.out) {
      io.stdout(listing(files));
      return 0;
    }
    checkOutPaths(
      files.map((f) => f.path),
      args.out,
      args.force,
    );
    const written = writeOutFiles(files, args.out);
    io.stderr(`wrote ${written.length} files under ${args.out}: run ansible-playbook site.yml there (see vault.example.yml and inventory.example.yml)\n`);
    return 0;
  }
  const { userData, checkScript, sizeNote } = exportCloudInit(input);
  if (!args.out) {
    io.stdout(userData.content);
    io.stderr(`${sizeNote}\nthe first-login check script is written beside the user-data with --out FILE\n`);
    return 0;
  }
  // --out FILE: the user-data there, the check script beside it.
  const dir = dirname(args.out);
  const check = { ...checkScript, path: `${basename(args.out).replace(/\.[^.]*$/, '')}-first-login-check.sh` };
  const files = [{ ...userData, path: basename(args.out) }, check];
  checkOutPaths(
    files.map((f) => f.path),
    dir,
    args.force,
    { namedFiles: true },
  );
  const written = writeOutFiles(files, dir);
  io.stderr(`wrote ${written.join(' and ')}\n${sizeNote}\nafter the first boot, run: sh ${join(dir, check.path)} HOST\n`);
  return 0;
}
