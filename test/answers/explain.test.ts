import { describe, expect, it } from 'vitest';
import { EXAMPLE, failure, file } from './field-fixture.js';

/**
 * Issue 13 item 5: an error names where the bad value came from (the flag, the
 * environment variable, or the answers file and line), in plain sentences.
 */
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
