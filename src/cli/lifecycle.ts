import { validateAnswers } from '../answers/load.js';
import type { CliArgs } from './args.js';
import { UserError } from '../core/errors.js';
import type { Io } from '../core/io.js';
import { Secret } from '../core/secret.js';
import { serverPaths } from '../plan/paths.js';
import { readGatewayToken } from '../rollout/connect.js';
import { envLinesSame } from '../facts/deployed.js';
import { GATEWAY_TOKEN_WORD, planRotate, rotationTargets, type Rotatable } from '../../steps/rotate.js';
import { parseRunningImage, parseUpgradeTarget, planUpgrade, runningImageArgv } from '../../steps/upgrade.js';
import { inquirerPrompts, type Prompts } from '../ui/plain/prompts.js';
import { ask, runChange } from './deployment.js';
import { withDeploymentOrOffline } from './dry-run-deployment.js';

/**
 * Day-2 commands on a running deployment: `rotate`, `upgrade` (here) and
 * `backup`, `restore` (./backup.ts). Each plans from what the server holds,
 * prints the plan with --dry-run, and runs it guarded: proven or rolled back.
 */
export async function lifecycleCommand(args: CliArgs, io: Io, prompts: Prompts = inquirerPrompts()): Promise<number> {
  switch (args.command) {
    case 'rotate':
      return rotateCommand(args, io, prompts);
    case 'upgrade':
      return upgradeCommand(args, io, prompts);
    default: {
      const { backupCommand, restoreCommand } = await import('./backup.js');
      return args.command === 'backup' ? backupCommand(args, io) : restoreCommand(args, io);
    }
  }
}

/** `rotate gateway-token | NAME | --all`: new values in .env, the gateway recreated and proven, or the old .env back. */
async function rotateCommand(args: CliArgs, io: Io, prompts: Prompts): Promise<number> {
  if (args.to || args.from || args.type) throw new UserError('rotate takes a secret name or --all', 'e.g. claw-setup rotate gateway-token');
  if (args.operand !== undefined && args.operand !== GATEWAY_TOKEN_WORD && !/^[A-Z][A-Z0-9_]{0,127}$/.test(args.operand))
    throw new UserError(
      `rotate ${args.operand.slice(0, 40)}: not a secret name`,
      'name gateway-token, or the variable of a provider key or channel credential, e.g. ANTHROPIC_API_KEY or TELEGRAM_BOT_TOKEN',
    );
  if (args.operand === undefined && !args.all)
    throw new UserError('rotate what?', 'claw-setup rotate gateway-token, rotate NAME (e.g. ANTHROPIC_API_KEY), or rotate --all');
  return withDeploymentOrOffline(args, io, async (d) => {
    const items = rotationTargets(d.deployed, args.operand, args.all);
    const given = await newValues(
      items.filter((i) => !i.generated),
      io.env,
      d.interactive && !args.dryRun ? prompts : null,
      args.dryRun,
    );
    // Not a dry run: the server is there (d.link).
    if (!args.dryRun && given.length && d.link) {
      const same = await envLinesSame(d.link.exec, serverPaths(d.answers).env, given);
      if (same.size)
        throw new UserError(
          `the server already holds this value of ${[...same].join(', ')}: nothing would rotate`,
          'put the NEW value in the environment variable (or unset it to type it at the prompt)',
        );
    }
    const rp = planRotate(d.answers, items, given, d.host);
    d.out(`claw-setup: rotate ${items.map((i) => `${i.name} (${i.generated ? 'made on the server' : 'new value given'})`).join(', ')}`);
    const code = await runChange(d, rp.plan, {
      what: `rotate ${items.map((i) => i.name).join(', ')}`,
      restored: 'the previous .env is back',
      prompts: d.interactive ? prompts : null,
      args,
      io,
      secrets: given,
    });
    if (args.dryRun || code !== 0) return code;
    for (const l of rp.after) d.out(l);
    if (args.show && items.some((i) => i.generated) && d.link) {
      const token = await readGatewayToken(d.link.exec, serverPaths(d.answers).env);
      if (!token)
        throw new UserError('the new token could not be read back', `read it on the server: sudo grep OPENCLAW_GATEWAY_TOKEN ${serverPaths(d.answers).env}`);
      // Shown once, because it was asked for; never logged.
      io.stdout(`OPENCLAW_GATEWAY_TOKEN=${token.reveal()}\n`);
    }
    return 0;
  });
}

/** Typed credentials: the environment variable of the same name, else a masked prompt; a dry run asks nothing. */
async function newValues(items: Rotatable[], env: NodeJS.ProcessEnv, prompts: Prompts | null, dryRun: boolean): Promise<Secret[]> {
  const out: Secret[] = [];
  for (const i of items) {
    const v = env[i.name];
    if (v) {
      out.push(Secret.of(i.name, v, `environment variable ${i.name}`));
      continue;
    }
    if (dryRun) {
      out.push(Secret.of(i.name, 'dry-run-placeholder', 'not asked in a dry run'));
      continue;
    }
    if (!prompts) throw new UserError(`no new value for ${i.name}`, `set ${i.name} in the environment (the new value), or run in a terminal to type it`);
    const typed = await ask(() => prompts.password({ message: `new ${i.label} (${i.name}):`, validate: (x) => (x ? true : 'required') }));
    out.push(Secret.of(i.name, typed, 'prompt'));
  }
  return out;
}

/** `upgrade [--to VERSION[@sha256:…]]`: backup, the new version validates the config, switch, prove, or go back. */
async function upgradeCommand(args: CliArgs, io: Io, prompts: Prompts): Promise<number> {
  if (args.operand || args.from || args.all) throw new UserError('upgrade takes only --to VERSION', 'e.g. claw-setup upgrade --to 2026.10.1');
  const target = args.to ? parseUpgradeTarget(args.to) : null;
  return withDeploymentOrOffline(args, io, async (d) => {
    // Offline (a dry run with no server): the image of the answers is taken as the one running.
    const r = d.link ? await d.link.exec.run(runningImageArgv(serverPaths(d.answers)), { purpose: 'probe', timeoutSec: 30 }) : null;
    const current = r?.code === 0 ? parseRunningImage(r.stdout) : null;
    const want = target ?? { version: d.local.openclaw.version, ...(d.local.openclaw.digest ? { digest: d.local.openclaw.digest } : {}) };
    const { digest: _old, ...rest } = d.answers.openclaw;
    const next = validateAnswers({ ...d.answers, openclaw: { ...rest, ...want } }, args.to ? '--to' : 'the answers');
    const up = planUpgrade(d.answers, next, d.deployed, current, d.host);
    if (!up.changes) {
      d.out(`claw-setup: ${d.host} already runs ${up.to}; nothing to upgrade${target ? '' : ' (pass --to VERSION for another version)'}.`);
      return 0;
    }
    d.out(`claw-setup: upgrade ${up.from}${current?.digest ? ` (${current.digest})` : ''} → ${up.to}`);
    const code = await runChange(d, up.plan, {
      what: `upgrade to ${next.openclaw.version}`,
      restored: `the gateway stays on ${up.from}, with its compose file and openclaw.json as they were`,
      prompts: d.interactive ? prompts : null,
      args,
      io,
    });
    if (!args.dryRun && code === 0 && d.local.openclaw.version !== next.openclaw.version)
      d.out(`Set openclaw.version: "${next.openclaw.version}" in your answers file: a rerun with ${d.local.openclaw.version} would go back to it.`);
    return code;
  });
}
