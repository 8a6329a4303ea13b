import type { CliArgs } from '../core/args.js';
import { UserError } from '../core/errors.js';
import type { Io } from '../core/io.js';

/** `audit`, `status`, `alert-test`. */
export async function auditCommand(args: CliArgs, _io: Io): Promise<number> {
  throw new UserError(`${args.command} is being built`, 'see the README');
}
