import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/core/errors.js';
import { factsFromProbe, operatorFrom } from '../../src/facts/probe.js';

describe('probe parsing', () => {
  const out = (os: string) => `
@@claw:os@@
${os}
@@claw:conn@@
10.77.3.1 51514 10.77.3.2 22
@@claw:sshd@@
port 22
permitrootlogin without-password
passwordauthentication yes
allowusers deploy
allowusers admin
@@claw:socket@@
inactive
@@claw:users@@
deploy
@@claw:sudo@@
deploy,admin
@@claw:ufw@@
installed
Status: active

To                         Action      From
--                         ------      ----
22/tcp                     LIMIT       Anywhere
@@claw:fail2ban@@
installed
active
@@claw:docker@@
@@claw:tailscale@@
@@claw:disk@@
8123
@@claw:mem@@
1987
@@claw:systemd@@
yes
@@claw:end@@
`;
  const debian = 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nID=debian\nVERSION_ID="12"\nVERSION_CODENAME=bookworm';

  it('reads every section', () => {
    const f = factsFromProbe(out(debian), { loginUser: 'deploy' });
    expect(f).toMatchObject({
      source: 'probed',
      os: { id: 'debian', versionId: '12', codename: 'bookworm' },
      operatorIp: '10.77.3.1',
      sshSocket: false,
      loginUser: 'deploy',
    });
    // only what planning reads: unknown sections (an older or newer probe) are ignored
    expect(Object.keys(f).sort()).toEqual(['loginUser', 'operatorIp', 'os', 'source', 'sshSocket', 'sshd']);
    expect(f.sshd.passwordauthentication).toBe('yes');
    expect(f.sshd.allowusers).toBe('deploy admin');
  });

  it('refuses an unsupported release unless forced, and a non-Debian OS always', () => {
    const old = 'PRETTY_NAME="Debian GNU/Linux 11 (bullseye)"\nID=debian\nVERSION_ID="11"\nVERSION_CODENAME=bullseye';
    expect(() => factsFromProbe(out(old))).toThrow(UserError);
    expect(factsFromProbe(out(old), { force: true }).os.versionId).toBe('11');
    expect(() => factsFromProbe(out('ID=fedora\nVERSION_ID=40\nPRETTY_NAME="Fedora 40"'), { force: true })).toThrow(/needs a Debian or Ubuntu/);
  });

  it('takes the operator address from SSH_CONNECTION', () => {
    expect(operatorFrom('::ffff:198.51.100.7 5000 203.0.113.10 22')).toBe('198.51.100.7');
    expect(operatorFrom('2001:db8::5 5000 2001:db8::1 22')).toBe('2001:db8::5');
    expect(operatorFrom('')).toBeNull();
  });
});
