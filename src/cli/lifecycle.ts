import type { CliArgs } from '../core/args.js';
import { UserError } from '../core/errors.js';
import type { Io } from '../core/io.js';

/** Placeholder while the command is built. */
export function lifecycleCommand(args: CliArgs, _io: Io): Promise<number> {
  return Promise.reject(new UserError(`${args.command} is not built yet`));
}
