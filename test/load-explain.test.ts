import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCli } from '../src/cli/args.js';
import { UserError } from '../src/core/errors.js';
import { loadAll } from '../src/answers/load.js';
import { json5KeyLines, json5SyntaxProblem } from '../src/answers/json5-text.js';
import { editDistance, nearest } from '../src/answers/plain-message.js';
import { loadBase } from '../src/ui/init.js';

/**
 * Issue 13 item 5: an error names where the bad value came from (the flag, the
 * environment variable, or the answers file and line), in plain sentences.
 */
const EXAMPLE = 'examples/answers.json5';

function failure(argv: string[], env: NodeJS.ProcessEnv = {}): UserError {
  try {
    loadAll(parseCli(argv), env);
  } catch (e) {
    if (e instanceof UserError) return e;
    throw e;
  }
  throw new Error(`no error for ${argv.join(' ')}`);
}

function file(text: string): string {
  const p = join(mkdtempSync(join(tmpdir(), 'claw-load-')), 'answers.json5');
  writeFileSync(p, text);
  return p;
}

describe('errors name where the value came from', () => {
  it('--set ssh.port=99999: the flag, the range, the value; not the answers file', () => {
    const e = failure(['plan', '--answers', EXAMPLE, '--set', 'ssh.port=99999']);
    expect(e.message).toMatch(
      /^1 problem in --set ssh\.port; nothing was planned or run:\n {2}ssh\.port: port must be between 1 and 65535 \(you gave 99999\) \(from --set ssh\.port\)$/,
    );
    expect(e.message).not.toContain('answers file');
    expect(e.message).not.toContain(EXAMPLE);
    expect(e.howToFix).toMatch(/^change the flag named above/);
  });

  it('CLAW_SET_SSH__PORT=abc: the environment variable', () => {
    const e = failure(['plan', '--answers', EXAMPLE], { CLAW_SET_SSH__PORT: 'abc' });
    expect(e.message).toContain('1 problem in environment variable CLAW_SET_SSH__PORT;');
    expect(e.message).toContain('ssh.port: port must be a number (from environment variable CLAW_SET_SSH__PORT)');
    expect(e.message).not.toContain('answers file');
    expect(e.howToFix).toMatch(/^change or unset the environment variable/);
  });

  it("--host 'x;rm -rf /': the --host flag", () => {
    const e = failure(['plan', '--answers', EXAMPLE, '--host', 'x;rm -rf /']);
    expect(e.message).toContain('1 problem in --host;');
    expect(e.message).toMatch(/target\.host: host must be an IP address or a host name like vps\.example\.com \(from --host\)/);
    expect(e.message).not.toContain('answers file');
  });

  it('--operator-ip 1.2.3.999: the --operator-ip flag', () => {
    const e = failure(['plan', '--answers', EXAMPLE, '--operator-ip', '1.2.3.999']);
    expect(e.message).toContain('1 problem in --operator-ip;');
    expect(e.message).toMatch(/operatorIp: .*not "1\.2\.3\.999" \(from --operator-ip\)$/m);
    expect(e.message).not.toContain('answers file');
  });

  it('CLAW_OPERATOR_IP and CLAW_HOST name their variables too', () => {
    const e = failure(['plan'], { CLAW_OPERATOR_IP: '1.2.3.999', CLAW_HOST: 'a b' });
    expect(e.message).toContain('2 problems in environment variable CLAW_HOST and environment variable CLAW_OPERATOR_IP;');
  });

  it('a flag wins over the variable, and the error names the flag that gave the value', () => {
    const e = failure(['plan', '--set', 'ssh.port=0'], { CLAW_SET_SSH__PORT: '2222' });
    expect(e.message).toContain('(from --set ssh.port)');
    expect(e.message).not.toContain('CLAW_SET_SSH__PORT');
  });

  it('a value from the answers file: the file and the line of the key', () => {
    const p = file('{\n  target: { host: "203.0.113.10" },\n  // a comment with { braces [\n  ssh: {\n    port: 99999,\n  },\n}\n');
    const e = failure(['plan', '--answers', p]);
    expect(e.message).toContain(`1 problem in answers file ${p};`);
    expect(e.message).toContain(`ssh.port: port must be between 1 and 65535 (you gave 99999) (from ${p} line 5)`);
    expect(e.howToFix).toMatch(/^edit the answers file at the line named above/);
  });

  it('file and flag problems together name both', () => {
    const p = file('{ "ssh": { "maxAuthTries": 0 } }');
    const e = failure(['plan', '--answers', p, '--host', 'x;y']);
    expect(e.message).toContain(`2 problems in --host and answers file ${p};`);
    expect(e.message).toContain(`(from ${p} line 1)`);
    expect(e.message).toContain('(from --host)');
  });
});

describe('plain sentences instead of raw schema messages', () => {
  it('a number out of range gives the allowed range', () => {
    const e = failure(['plan', '--set', 'ssh.maxAuthTries=0']);
    expect(e.message).toContain('ssh.maxAuthTries: must be a whole number from 1 to 10; you gave 0 (from --set ssh.maxAuthTries)');
    expect(e.message).not.toMatch(/Too small|>=/);
  });

  it('an unknown key gets the nearest known one', () => {
    const e = failure(['plan', '--set', 'sssh.port=2222']);
    expect(e.message).toContain('\n  sssh: is not an answers field: did you mean ssh? (from --set sssh.port)');
    expect(e.message).not.toContain('Unrecognized key');
    const p = file('{\n  ssh: {\n    prot: 2222,\n  },\n}\n');
    const f = failure(['plan', '--answers', p]);
    expect(f.message).toContain(`\n  ssh.prot: is not a field of ssh: did you mean port? (from ${p} line 3)`);
  });

  it('an unknown key with nothing near lists the known ones', () => {
    const e = failure(['plan', '--set', 'ssh.zzzzzzzz=1']);
    expect(e.message).toContain('ssh.zzzzzzzz: is not a field of ssh (known: port, maxAuthTries, allowTcpForwarding, loginGraceTime)');
  });

  it('a wrong type and a wrong choice say what is allowed', () => {
    const e = failure(['plan', '--set', 'fail2ban.enabled=yes', '--set', 'ssh.allowTcpForwarding=locl']);
    expect(e.message).toContain('fail2ban.enabled: must be true or false, not text ("yes") (from --set fail2ban.enabled)');
    expect(e.message).toContain('ssh.allowTcpForwarding: must be one of "local", "no", not "locl" (did you mean "local"?)');
    expect(e.message).not.toMatch(/Invalid (input|option)/);
  });

  it('an inline secret is never echoed back', () => {
    const e = failure(['plan', '--set', 'deployUser.sudoPassword=hunter2-S3NT1NEL']);
    expect(e.message).toContain('secrets are never written inline');
    expect(e.message).not.toContain('S3NT1NEL');
  });

  it('nearest() and editDistance()', () => {
    expect(editDistance('sssh', 'ssh')).toBe(1);
    expect(editDistance('prot', 'port')).toBe(1);
    expect(nearest('sssh', ['target', 'ssh', 'stopBefore'])).toBe('ssh');
    expect(nearest('monitorng', ['monitoring', 'backups'])).toBe('monitoring');
    expect(nearest('xyz', ['ssh', 'target'])).toBeUndefined();
  });
});

describe('a JSON5 syntax error gets the line, the column and a fix', () => {
  it('a missing comma between fields', () => {
    const p = file('{\n  target: { host: "203.0.113.10" }   // the server\n  ssh: { port: 22 },\n}\n');
    const e = failure(['plan', '--answers', p]);
    expect(e.message).toMatch(
      new RegExp(`^answers file ${p} is not valid JSON5: invalid character 's' at line 3, column 3\\n {5}3 \\|   ssh: \\{ port: 22 \\},\\n {7}\\| {3}\\^$`),
    );
    expect(e.howToFix).toBe('a comma is probably missing at the end of line 2, before this field');
  });

  it('a file that ends too early', () => {
    const p = file('{\n  ssh: { port: 22 },\n');
    const e = failure(['plan', '--answers', p]);
    expect(e.message).toMatch(/invalid end of input at line 3, column 1/);
    expect(e.howToFix).toMatch(/a closing \} or \] .* is missing/);
  });

  it('a value without quotes', () => {
    const r = json5SyntaxProblem('a.json5', '{ host: vps.example.com }', { message: "JSON5: invalid character '.' at 1:12", lineNumber: 1, columnNumber: 12 });
    expect(r.message).toContain('at line 1, column 12');
    expect(r.howToFix).toMatch(/quote is probably missing just before the caret/);
  });
});

describe('json5KeyLines', () => {
  it('finds keys, nested objects and array elements, past comments and strings', () => {
    const lines = json5KeyLines(
      [
        '// head { not a key: 1 }',
        '{',
        "  'target': { host: 'a:b,{c}' },",
        '  /* block',
        '     comment: 2 */',
        '  openclaw: {',
        '    channels: [',
        '      { type: "telegram", allowFrom: ["1",',
        '        "2"] },',
        '      {',
        '        type: "discord",',
        '      },',
        '    ],',
        '  },',
        '}',
      ].join('\n'),
    );
    expect(lines.get('target')).toBe(3);
    expect(lines.get('target.host')).toBe(3);
    expect(lines.get('openclaw.channels')).toBe(7);
    expect(lines.get('openclaw.channels.0')).toBe(8);
    expect(lines.get('openclaw.channels.0.allowFrom.1')).toBe(9);
    expect(lines.get('openclaw.channels.1')).toBe(10);
    expect(lines.get('openclaw.channels.1.type')).toBe(11);
    expect(lines.has('comment')).toBe(false);
    expect(lines.has('head')).toBe(false);
  });

  it('every key path of the example file gets the line it is on', () => {
    const text = readFileSync(EXAMPLE, 'utf8');
    const lines = json5KeyLines(text);
    const src = text.split('\n');
    expect(src[lines.get('ssh.port')! - 1]).toMatch(/^\s*ssh: \{ port: 22/);
    expect(src[lines.get('monitoring.ntfyServer')! - 1]).toMatch(/^\s*ntfyServer:/);
    expect(src[lines.get('openclaw.channels.0.allowFrom')! - 1]).toMatch(/^\s*allowFrom:/);
  });
});

describe('the wizard reports given values the same way before its first screen', () => {
  it("--host 'x;rm -rf /' with an answers file names --host", () => {
    let err: unknown;
    try {
      loadBase(parseCli(['--answers', EXAMPLE, '--host', 'x;rm -rf /']), {});
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(UserError);
    expect((err as UserError).message).toContain('1 problem in --host:');
    expect((err as UserError).message).not.toContain('answers file');
  });

  it('a misspelt key is reported, not dropped', () => {
    expect(() => loadBase(parseCli(['--set', 'sssh.port=2222']), {})).toThrow(/did you mean ssh\?/);
  });
});
