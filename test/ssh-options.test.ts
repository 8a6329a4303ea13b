import { describe, expect, it } from 'vitest';
import { UserError } from '../src/core/errors.js';
import { ALLOWED_SSH_OPTIONS, checkSshOptions } from '../src/answers/load.js';

// --ssh-option is an allow-list: harmless client options pass, everything else is
// refused by name, so no option can forward the agent, run a command, load a key
// provider library or loosen host-key checking on claw-setup's connections.

function refusal(opt: string): UserError {
  try {
    checkSshOptions([opt]);
  } catch (e) {
    expect(e).toBeInstanceOf(UserError);
    return e as UserError;
  }
  throw new Error(`--ssh-option ${opt} was accepted`);
}

const ALLOWED: string[] = [
  'ConnectTimeout=10',
  'ConnectionAttempts=3',
  'ServerAliveInterval=15',
  'ServerAliveCountMax=4',
  'TCPKeepAlive=yes',
  'ProxyJump=admin@bastion.example.com:2222',
  'AddressFamily=inet6',
  'BindAddress=192.0.2.10',
  'BindInterface=wg0',
  'Compression=yes',
  'IPQoS=lowdelay',
  'RekeyLimit=1G',
  'Ciphers=chacha20-poly1305@openssh.com,aes256-gcm@openssh.com',
  'KexAlgorithms=-diffie-hellman-group14-sha256',
  'MACs=hmac-sha2-256-etm@openssh.com',
  'HostKeyAlgorithms=ssh-ed25519',
  'PubkeyAcceptedAlgorithms=+ssh-rsa',
  'PubkeyAcceptedKeyTypes=ssh-ed25519',
  'CASignatureAlgorithms=ssh-ed25519',
  'CertificateFile=~/.ssh/id_ed25519-cert.pub',
  'LogLevel=VERBOSE',
  'CanonicalizeHostname=yes',
  'CanonicalDomains=example.com,example.org',
  'HashKnownHosts=yes',
  'UpdateHostKeys=ask',
  'VerifyHostKeyDNS=no',
  'CheckHostIP=no',
  'ObscureKeystrokeTiming=interval:20',
];

const REFUSED: string[] = [
  'SecurityKeyProvider=/path/lib.so',
  'PKCS11Provider=/usr/lib/x86_64-linux-gnu/opensc-pkcs11.so',
  'ForwardAgent=yes',
  'ForwardX11=yes',
  'ForwardX11Trusted=yes',
  'LocalForward=8080:localhost:80',
  'RemoteForward=9000:localhost:22',
  'DynamicForward=1080',
  'ProxyCommand=nc',
  'LocalCommand=id',
  'PermitLocalCommand=yes',
  'RemoteCommand=id',
  'StrictHostKeyChecking=no',
  'UserKnownHostsFile=/dev/null',
  'GlobalKnownHostsFile=/dev/null',
  'ControlMaster=auto',
  'ControlPath=/tmp/x',
  'ControlPersist=yes',
  'BatchMode=no',
  'IdentityFile=~/.ssh/other',
  'IdentitiesOnly=no',
  'IdentityAgent=/tmp/agent.sock',
  'KnownHostsCommand=/bin/x',
  'Tunnel=yes',
  'TunnelDevice=any:any',
  'GatewayPorts=yes',
  'SendEnv=LC_ALL',
  'SetEnv=FOO=bar',
  'RequestTTY=force',
  'StdinNull=yes',
  'Include=/etc/passwd',
  'Match=all',
  'Host=evil.example.com',
  'Hostname=evil.example.com',
  'User=root',
  'Port=2222',
  'ClearAllForwardings=no',
  'HostKeyAlias=other',
  'PasswordAuthentication=yes',
  'NumberOfPasswordPrompts=3',
  'PreferredAuthentications=password',
  'ExitOnForwardFailure=no',
  'ForkAfterAuthentication=yes',
  'SessionType=none',
  'StreamLocalBindUnlink=yes',
  'AddKeysToAgent=yes',
  'RevokedHostKeys=/dev/null',
  'NoHostAuthenticationForLocalhost=yes',
  'ProxyUseFdpass=yes',
  'EnableEscapeCommandline=yes',
];

describe('--ssh-option allow-list', () => {
  it.each(ALLOWED)('%s is accepted', (opt) => {
    expect(checkSshOptions([opt])).toEqual([opt]);
  });

  it('covers every allowed option exactly once', () => {
    expect(ALLOWED.map((o) => o.slice(0, o.indexOf('=')))).toEqual([...ALLOWED_SSH_OPTIONS.values()]);
  });

  it.each(['connecttimeout=10', 'CONNECTTIMEOUT=10', 'proxyjump=bastion', 'macs=hmac-sha2-256'])('option names are case-insensitive: %s', (opt) => {
    expect(checkSshOptions([opt])).toEqual([opt]);
  });

  it('keeps the options in order and returns them unchanged', () => {
    const opts = ['ServerAliveInterval=30', 'ProxyJump=jump1,jump2:2200', 'ConnectTimeout=5'];
    expect(checkSshOptions(opts)).toEqual(opts);
    expect(checkSshOptions([])).toEqual([]);
  });

  it.each(REFUSED)('%s is refused by name', (opt) => {
    const name = opt.slice(0, opt.indexOf('='));
    const e = refusal(opt);
    expect(e.message).toMatch(new RegExp(`^--ssh-option ${name} is not allowed: claw-setup only passes harmless connection options \\(`));
    expect(e.message).toContain('ConnectTimeout, ConnectionAttempts, ServerAliveInterval');
    expect(e.message).toContain('ProxyJump');
    expect(e.message).toMatch(/; forwarding, commands, key providers and host-key settings stay under its control$/);
    expect(e.howToFix).toContain('ProxyJump');
  });

  it.each(['forwardagent=yes', 'FORWARDAGENT=yes', 'proxycommand=nc', 'Securitykeyprovider=/x.so'])('refused names are refused in any case: %s', (opt) => {
    expect(() => checkSshOptions([opt])).toThrow(/is not allowed/);
  });

  it('one refused option among allowed ones refuses the whole list', () => {
    expect(() => checkSshOptions(['ConnectTimeout=10', 'ForwardAgent=yes'])).toThrow(/--ssh-option ForwardAgent is not allowed/);
  });

  it('the exact refusal message', () => {
    expect(refusal('ForwardAgent=yes').message).toBe(
      '--ssh-option ForwardAgent is not allowed: claw-setup only passes harmless connection options ' +
        '(ConnectTimeout, ConnectionAttempts, ServerAliveInterval, ServerAliveCountMax, TCPKeepAlive, ProxyJump, AddressFamily, ' +
        'BindAddress, BindInterface, Compression, IPQoS, RekeyLimit, Ciphers, KexAlgorithms, MACs, HostKeyAlgorithms, ' +
        'PubkeyAcceptedAlgorithms, PubkeyAcceptedKeyTypes, CASignatureAlgorithms, CertificateFile, LogLevel, CanonicalizeHostname, ' +
        'CanonicalDomains, HashKnownHosts, UpdateHostKeys, VerifyHostKeyDNS, CheckHostIP, ObscureKeystrokeTiming); ' +
        'forwarding, commands, key providers and host-key settings stay under its control',
    );
  });
});

describe('--ssh-option values', () => {
  it.each(['ConnectTimeout', 'ConnectTimeout 10', '=10', 'X=10', 'Connect-Timeout=10', '-oProxyCommand=id', 'Connect\nTimeout=10', `${'A'.repeat(41)}=1`])(
    '%j is not OPTION=VALUE',
    (opt) => {
      expect(refusal(opt).message).toMatch(/^--ssh-option "[\x20-\x7e]*" is not OPTION=VALUE$/);
    },
  );

  it.each([
    'ConnectTimeout=',
    'ConnectTimeout=10;id',
    'ConnectTimeout=$(id)',
    'ConnectTimeout=`id`',
    'ConnectTimeout=10 20',
    'ConnectTimeout=10\nProxyCommand=id',
    'LogLevel=DEBUG%h',
    'CertificateFile=~/.ssh/x"y',
    "CertificateFile=~/.ssh/x'y",
    'Ciphers=^aes128-ctr',
    'ProxyJump=-oProxyCommand=id',
    'ProxyJump=bastion,-oProxyCommand=id',
    `ConnectTimeout=${'1'.repeat(201)}`,
  ])('%j has an unsafe value', (opt) => {
    const e = refusal(opt);
    expect(e.message).toMatch(
      /^--ssh-option \w+ value "[\x20-\x7e]*" may only use A-Z a-z 0-9 \. _ @ : \/ , \+ ~ - \(1 to 200 characters: no spaces, quotes or shell characters\)$/,
    );
  });

  it('the exact value message', () => {
    expect(refusal('connecttimeout=10;id').message).toBe(
      '--ssh-option ConnectTimeout value "10;id" may only use A-Z a-z 0-9 . _ @ : / , + ~ - (1 to 200 characters: no spaces, quotes or shell characters)',
    );
  });

  it.each([
    'ProxyJump=-oProxyCommand',
    'ProxyJump=bastion,-oProxyCommand',
    'ProxyJump=-bastion',
    'ProxyJump=bastion,-J',
    'ProxyJump=user@',
    'ProxyJump=@bastion',
    'ProxyJump=bastion:',
    'ProxyJump=bastion:22:33',
    'ProxyJump=bastion,,other',
    'ProxyJump=ssh://',
  ])('%s is not a list of jump hosts', (opt) => {
    expect(refusal(opt).message).toMatch(/^--ssh-option ProxyJump=.* is not a list of jump hosts$/);
  });

  it.each([
    'ProxyJump=none',
    'ProxyJump=bastion',
    'ProxyJump=admin@bastion.example.com',
    'ProxyJump=admin@203.0.113.5:2222,deploy@10.0.0.2',
    'ProxyJump=ssh://admin@bastion.example.com:2222',
  ])('%s is accepted', (opt) => {
    expect(checkSshOptions([opt])).toEqual([opt]);
  });
});
