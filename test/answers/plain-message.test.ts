import { describe, expect, it } from 'vitest';
import { editDistance, nearest } from '../../src/answers/plain-message.js';
import { failure, file } from './field-fixture.js';

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
