import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { COMMANDS, HELP } from '../../src/cli/args.js';
import { COMMAND_SPECS, type CommandSpec } from '../../src/cli/help.js';
import { LOCKDOWN_HELP } from '../../src/cli/lockdown-help.js';

async function printed(argv: string[]): Promise<string> {
  const out: string[] = [];
  const io = { stdout: (s: string) => void out.push(s), stderr: () => {}, env: {}, isTTY: false } as unknown as Parameters<typeof main>[1];
  expect(await main(argv, io)).toBe(0);
  return out.join('');
}

const DAY2 = COMMANDS.filter((c) => c !== 'setup');

describe('per-command help', () => {
  it.each(DAY2.flatMap((c) => [[c, [c, '--help']] as const, [c, ['help', c]] as const, [c, [c, '-h']] as const]))('%s: %j', async (c, argv) => {
    const spec: CommandSpec = COMMAND_SPECS[c];
    const text = await printed([...argv]);
    if (spec.page) {
      // lockdown and unlock keep their own page, through the same table.
      expect(text).toBe(`${LOCKDOWN_HELP}\n`);
      return;
    }
    expect(text.split('\n')[0]).toBe(`Usage: claw-setup ${spec.usage}`);
    for (const f of spec.flags) expect(text).toMatch(new RegExp(`^  --${f}\\b.* \\S`, 'm'));
    expect(spec.examples.length).toBeGreaterThanOrEqual(1);
    expect(spec.examples.length).toBeLessThanOrEqual(3);
    for (const e of spec.examples) expect(text).toContain(`\n  ${e}\n`);
    // Not the overview, and no flag of another command.
    expect(text).not.toContain('Commands:');
    const foreign = COMMANDS.flatMap((o) => (COMMAND_SPECS[o] as CommandSpec).flags).filter((f) => !spec.flags.includes(f));
    for (const f of new Set(foreign)) expect(text).not.toMatch(new RegExp(`^  --${f}\\b`, 'm'));
  });

  it('the overview: every command in one line, the global options, shorter than the old 64 lines', async () => {
    for (const argv of [['--help'], ['help'], ['-h']]) expect(await printed(argv)).toBe(`${HELP}\n`);
    const lines = HELP.split('\n');
    expect(lines.length).toBeLessThanOrEqual(45);
    for (const c of DAY2) expect(lines.some((l) => l.startsWith(`  ${c} `))).toBe(true);
    expect(HELP).toContain('--host H');
    expect(HELP).not.toContain('--age-identity');
    expect(HELP).toMatch(/3 audit could not run/);
  });

  it('setup has its own page too: claw-setup help setup', async () => {
    const text = await printed(['help', 'setup']);
    expect(text.split('\n')[0]).toBe(`Usage: claw-setup ${COMMAND_SPECS.setup.usage}`);
    expect(text).toContain('--dry-run');
  });
});
