import { describe, expect, it } from 'vitest';
import { COMMANDS, nearest, parseCli } from '../../src/cli/args.js';
import { COMMAND_SPECS, CONNECTION_FLAGS, FLAGS, flagsOf, type CommandSpec, type Flag } from '../../src/cli/help.js';
import { UserError } from '../../src/core/errors.js';

const spec = (c: (typeof COMMANDS)[number]): CommandSpec => COMMAND_SPECS[c];
/** The words before the flags: the command and the operands it needs. */
const head = (c: (typeof COMMANDS)[number]) => (c === 'setup' ? [] : [c, ...Array.from({ length: spec(c).operands ?? 0 }, () => 'x')]);
/** A flag as typed, with a value when it takes one. */
const typed = (f: Flag) => (f === 'v' ? ['-v'] : 'arg' in FLAGS[f] ? [`--${f}`, 'x'] : [`--${f}`]);

describe('hostile flags', () => {
  it('unknown flags and commands are user errors', () => {
    expect(() => parseCli(['--frobnicate'])).toThrow(UserError);
    expect(() => parseCli(['destroy'])).toThrow(UserError);
    // Not Node's raw parseArgs text: ours, with the way out.
    expect(() => parseCli(['--toString'])).toThrow(/^unknown option --toString$/);
  });
});

describe('did you mean', () => {
  it.each([
    [['add-channel', '--tyep', 'telegram'], /unknown option --tyep \(did you mean --type\?\)/],
    [['--dryrun'], /unknown option --dryrun \(did you mean --dry-run\?\)/],
    [['audit', '--jsn'], /did you mean --json\?/],
    [['add-chanel'], /unknown command "add-chanel" \(did you mean add-channel\?\)/],
    [['stauts'], /did you mean status\?/],
    [['help', 'upgarde'], /did you mean upgrade\?/],
  ])('%j', (argv, msg) => {
    expect(() => parseCli(argv)).toThrow(msg);
  });

  it.each([
    [['--host'], '--host needs a value: --host H'],
    [['-i'], '--identity needs a value: --identity KEY'],
    [['upgrade', '--to', '--help'], '--to: the next word starts with "-", so it is taken for an option'],
    [['--yes=no'], '--yes is a switch: it takes no value'],
  ])('a value missing or misplaced, in our words: %j', (argv, msg) => {
    expect(() => parseCli(argv)).toThrow(msg);
  });

  it('says nothing when no word is near', () => {
    expect(nearest('frobnicate', COMMANDS)).toBeUndefined();
    expect(nearest('x', ['to', 'os'])).toBeUndefined();
  });
});

describe('each command accepts only its flags (and the connection ones)', () => {
  it('plan --to 1.2 --show --json is refused, naming the owner', () => {
    expect(() => parseCli(['plan', '--to', '1.2', '--show', '--json'])).toThrow('--to is not an option of plan (it belongs to upgrade)');
  });

  const matrix = COMMANDS.flatMap((c) => (Object.keys(FLAGS) as Flag[]).map((f) => [c, f, flagsOf(spec(c)).includes(f)] as const));
  it.each(matrix)('%s %s: accepted %s', (c, f, accepted) => {
    const argv = [...head(c), ...typed(f)];
    if (accepted) {
      expect(parseCli(argv).command).toBe(c);
      return;
    }
    const owners = COMMANDS.filter((o) => spec(o).flags.includes(f));
    expect(owners.length).toBeGreaterThan(0);
    expect(() => parseCli(argv)).toThrow(`--${f} is not an option of ${c} (it belongs to ${owners.join(', ')})`);
  });

  it('every flag belongs somewhere, and the connection flags to every command', () => {
    for (const f of Object.keys(FLAGS) as Flag[])
      expect(
        COMMANDS.some((c) => flagsOf(spec(c)).includes(f)),
        f,
      ).toBe(true);
    for (const c of COMMANDS) for (const f of CONNECTION_FLAGS) expect(flagsOf(spec(c))).toContain(f);
  });

  it('asking for help is never refused, and names the command asked about', () => {
    expect(parseCli(['plan', '--to', '1.2', '--help'])).toMatchObject({ command: 'plan', help: true });
    expect(parseCli(['help', 'rotate'])).toMatchObject({ command: 'rotate', help: true });
    expect(parseCli(['help'])).toMatchObject({ command: 'setup', help: true });
  });

  it('operands: as many words as the command takes, no more', () => {
    expect(parseCli(['rotate', 'gateway-token']).operand).toBe('gateway-token');
    expect(() => parseCli(['rotate', 'a', 'b'])).toThrow(/unexpected argument "b"/);
    expect(() => parseCli(['audit', 'now'])).toThrow(/unexpected argument "now"/);
  });
});
