import { beforeEach, describe, expect, it, vi } from 'vitest';

/**
 * src/cli/entry.ts opens the wizard before loading the rest of the CLI (the first frame's
 * start-up time). Its `opensWizard` must agree with main.ts's dispatch for every kind of
 * command line: both are run here against the same front ends, replaced by recorders.
 */
const called: string[] = [];
const front = (name: string) => async () => {
  called.push(name);
  return 0;
};
vi.mock('../src/ui/run-wizard.js', () => ({ runWizard: front('wizard') }));
vi.mock('../src/ui/run-plain.js', () => ({ runPlain: front('plain') }));
vi.mock('../src/cli/apply.js', () => ({ applyNonInteractive: front('apply') }));
vi.mock('../src/cli/dry-run.js', () => ({ liveDryRun: front('live-dry-run') }));
vi.mock('../src/cli/channel.js', () => ({ channelCommand: front('channel') }));
vi.mock('../src/cli/audit.js', () => ({ auditCommand: front('audit') }));
vi.mock('../src/cli/lifecycle.js', () => ({ lifecycleCommand: front('lifecycle') }));
vi.mock('../src/cli/export.js', () => ({ exportCommand: front('export') }));

const { main: entryMain, opensWizard } = await import('../src/cli/entry.js');
const { main: cliMain } = await import('../src/cli/main.js');
const { parseCli } = await import('../src/cli/args.js');

const io = (isTTY: boolean) => ({ stdout: () => {}, stderr: () => {}, env: {}, isTTY });

async function outcome(run: typeof cliMain, argv: string[], isTTY: boolean): Promise<string> {
  called.length = 0;
  try {
    await run(argv, io(isTTY));
  } catch (e) {
    return `error: ${(e as Error).name}`;
  }
  return called.join(',') || 'printed';
}

const LINES = [
  [],
  ['--dry-run'],
  ['--dry-run', '--plain'],
  ['--dry-run', '--yes', '--answers', 'examples/answers.json5'],
  ['--plain'],
  ['--yes', '--answers', 'examples/answers.json5'],
  ['--answers', 'examples/answers.json5'],
  ['--host', '203.0.113.10', '--set', 'ssh.port=2222'],
  ['plan', '--answers', 'examples/answers.json5'],
  ['--help'],
  ['help'],
  ['-v'],
  ['audit'],
  ['status'],
  ['add-channel', '--type', 'telegram'],
  ['rotate', 'gateway-token'],
  ['export', 'ansible'],
];

describe('entry.ts dispatches the wizard exactly when main.ts would', () => {
  beforeEach(() => {
    called.length = 0;
  });

  it.each(LINES.flatMap((argv) => [true, false].map((tty) => [argv.join(' ') || '(no arguments)', argv, tty] as const)))(
    '%s (terminal: %s)',
    async (_name, argv, tty) => {
      const viaMain = await outcome(cliMain, [...argv], tty);
      const viaEntry = await outcome(entryMain, [...argv], tty);
      expect(viaEntry).toBe(viaMain);
      let wizard = false;
      try {
        wizard = opensWizard(parseCli([...argv]), { isTTY: tty });
      } catch {
        wizard = false;
      }
      expect(wizard).toBe(viaMain === 'wizard');
    },
  );
});
