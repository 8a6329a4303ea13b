import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/core/errors.js';
import { checkSshOptions, setPath } from '../../src/answers/load.js';

describe('hostile flags', () => {
  it.each([
    ['ProxyCommand=sh -c id'],
    ['ProxyCommand=nc'],
    ['LocalCommand=id'],
    ['PermitLocalCommand=yes'],
    ['KnownHostsCommand=/bin/x'],
    ['ConnectTimeout=10;id'],
    ['ConnectTimeout'],
    ['Match=all'],
    ['SecurityKeyProvider=/path/lib.so'],
    ['PKCS11Provider=/usr/lib/opensc-pkcs11.so'],
    ['ForwardAgent=yes'],
    ['ForwardX11=yes'],
    ['LocalForward=8080:localhost:80'],
    ['RemoteForward=9000:localhost:22'],
    ['DynamicForward=1080'],
    ['RemoteCommand=id'],
    ['StrictHostKeyChecking=no'],
    ['UserKnownHostsFile=/dev/null'],
    ['ControlPath=/tmp/x'],
    ['BatchMode=no'],
    ['IdentityFile=~/.ssh/other'],
    ['SetEnv=FOO=bar'],
    ['Include=/etc/passwd'],
    ['User=root'],
    ['Port=2222'],
  ])('--ssh-option %s is refused', (opt) => {
    expect(() => checkSshOptions([opt])).toThrow(UserError);
  });

  it('--ssh-option ConnectTimeout=10 is accepted', () => expect(checkSshOptions(['ConnectTimeout=10'])).toEqual(['ConnectTimeout=10']));

  it('--set refuses prototype paths', () => {
    expect(() => setPath({}, '__proto__.x', 1)).toThrow(UserError);
    expect(() => setPath({}, 'a..b', 1)).toThrow(UserError);
  });
});
