import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { masterArgs, muxArgs, runLockArgv, writeScript } from '../../src/exec/ssh-args.js';
import { freshLoginArgs, knownHostName, loginRefusedArgs, remoteCommand, type SshTarget } from '../../src/plan/commands.js';
import { write } from '../../src/plan/action.js';
import * as commands from '../../src/plan/commands.js';
import { shJoin } from '../../src/plan/shell.js';

const t: SshTarget = {
  host: '203.0.113.10',
  port: 22,
  user: 'root',
  identityFile: '/home/me/.ssh/id_ed25519',
  sshOptions: ['ServerAliveInterval=5', 'StrictHostKeyChecking=no'],
  knownHosts: '/home/me/kh',
  hostKeyAlias: '203.0.113.10',
};

describe('ssh command lines', () => {
  it("the master: ControlMaster in a private path, host key pinned, our options before the operator's", () => {
    expect(shJoin(masterArgs(t, '/tmp/claw-setup-x/cm', 'accept-new'))).toBe(
      'ssh -f -N -o ControlMaster=yes -o ControlPath=/tmp/claw-setup-x/cm -o ControlPersist=20 -o PreferredAuthentications=publickey ' +
        '-o BatchMode=yes -o StrictHostKeyChecking=accept-new -o HostKeyAlias=203.0.113.10 -o UserKnownHostsFile=/home/me/kh -o IdentitiesOnly=yes ' +
        '-i /home/me/.ssh/id_ed25519 -o RemoteCommand=none -o PermitLocalCommand=no -o ClearAllForwardings=yes ' +
        '-o ForwardAgent=no -o ForwardX11=no -o ForwardX11Trusted=no -o Tunnel=no -o GatewayPorts=no -o RequestTTY=no -o LogLevel=ERROR ' +
        '-o ServerAliveInterval=5 -o StrictHostKeyChecking=no -o ConnectTimeout=15 ' +
        '-o ServerAliveInterval=15 -o ServerAliveCountMax=4 -p 22 -l root -- 203.0.113.10',
    );
  });

  it('the real OpenSSH client, with a ~/.ssh/config that forwards agent and X11, forwards nothing on our connections', () => {
    const dir = mkdtempSync(join(tmpdir(), 'claw-ssh-g-'));
    try {
      const cfg = join(dir, 'config');
      writeFileSync(
        cfg,
        'Host *\n  ForwardAgent yes\n  ForwardX11 yes\n  ForwardX11Trusted yes\n  LocalForward 8080 localhost:80\n  Tunnel yes\n  RequestTTY force\n',
      );
      const effective = (argv: readonly string[]) => {
        // ssh -G prints the configuration the same argv would connect with; -F stands in for ~/.ssh/config
        const at = argv.indexOf('--');
        const r = spawnSync('ssh', ['-G', '-F', cfg, ...argv.slice(1, at).filter((a) => a !== '-f' && a !== '-N' && a !== '-T'), '--', argv[at + 1]], {
          encoding: 'utf8',
        });
        expect(r.status, r.stderr).toBe(0);
        return r.stdout;
      };
      for (const argv of [masterArgs(t, '/tmp/c/cm', 'yes'), muxArgs(t, '/tmp/c/cm', 'true'), freshLoginArgs(t, 'deploy', 22, t.host, false)]) {
        const out = effective(argv);
        expect(out).toMatch(/^forwardagent no$/m);
        expect(out).toMatch(/^forwardx11 no$/m);
        expect(out).toMatch(/^forwardx11trusted no$/m);
        expect(out).toMatch(/^tunnel (no|false)$/m);
        expect(out).toMatch(/^requesttty (no|false)$/m);
        expect(out).not.toMatch(/^localforward /m);
      }
      expect(effective(masterArgs(t, '/tmp/c/cm', 'yes'))).toMatch(/^controlpersist 20$/m);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('the run lock: flock under /var/lib/claw-setup, the owner as an argument, held until stdin closes', () => {
    const [sh, c, script, name, owner] = runLockArgv('laptop pid 42 since 2026-11-30T06:00:00Z');
    expect([sh, c, name, owner]).toEqual(['sh', '-c', 'claw-setup-lock', 'laptop pid 42 since 2026-11-30T06:00:00Z']);
    expect(script).toContain('flock -n 9');
    expect(script).toMatch(/exec cat >\/dev\/null$/);
    const r = spawnSync('shellcheck', ['-s', 'sh', '-'], { input: script, encoding: 'utf8' });
    if (r.error === undefined) expect(r.stdout).toBe('');
  });

  it('commands go through the master as one quoted line with umask 077, through sudo when not root', () => {
    const argv = ['sh', '-c', "echo 'hi'; id"];
    expect(remoteCommand(argv, 'root')).toBe(`umask 077; sh -c 'echo '\\''hi'\\''; id'`);
    expect(remoteCommand(['true'], 'password')).toBe("umask 077; sudo -S -k -p '' -- true");
    expect(remoteCommand(['true'], 'nopasswd')).toBe('umask 077; sudo -n -- true');
    const mux = muxArgs(t, '/tmp/c/cm', 'umask 077; true');
    expect(mux.slice(0, 6)).toEqual(['ssh', '-T', '-o', 'ControlMaster=no', '-o', 'ControlPath=/tmp/c/cm']);
    expect(mux.at(-1)).toBe('umask 077; true');
    expect(mux.at(-2)).toBe('203.0.113.10');
  });

  it('fresh logins never multiplex and offer only the operator key', () => {
    const a = freshLoginArgs(t, 'deploy', 2222, '100.64.0.9', true);
    expect(shJoin(a)).toMatch(
      /^ssh -T -o ControlMaster=no -o ControlPath=none -o PreferredAuthentications=publickey -o BatchMode=yes -o StrictHostKeyChecking=yes -o HostKeyAlias=203.0.113.10 /,
    );
    expect(a).toContain('IdentitiesOnly=yes');
    expect(a.slice(-5)).toEqual(['-l', 'deploy', '--', '100.64.0.9', "sudo -S -k -p '' true"]);
    expect(a).toContain('2222');
  });

  it('the password probe sends no credential and asks ssh to show the offered methods', () => {
    const a = loginRefusedArgs(t, 'deploy', 22, 'password');
    expect(a).toEqual(
      expect.arrayContaining([
        '-v',
        'PreferredAuthentications=password,keyboard-interactive',
        'NumberOfPasswordPrompts=0',
        'PubkeyAuthentication=no',
        'BatchMode=yes',
        'ControlPath=none',
      ]),
    );
    const k = loginRefusedArgs(t, 'root', 22, 'publickey');
    expect(k).toContain('PreferredAuthentications=publickey');
    expect(k).not.toContain('-v');
  });

  it('the write script compares hash, mode and owner, then runs the exact printed install command', () => {
    const w = write('/etc/ssh/sshd_config.d/00-claw-setup.conf', 'Port 22\n', { mode: 0o644 });
    const [sh, c, script] = writeScript(w);
    expect([sh, c]).toEqual(['sh', '-c']);
    expect(script).toContain("[ \"$(stat -c '%h %a %U %G' -- /etc/ssh/sshd_config.d/00-claw-setup.conf 2>/dev/null)\" = '1 644 root root' ]");
    expect(script).toContain('claw_read /etc/ssh/sshd_config.d/00-claw-setup.conf || echo unreadable');
    expect(script).toContain('install -m "$1" -o "$2" -g "$3" /dev/stdin "$t/new" && mv -fT -- "$t/new" "$4" )');
    expect(script).toContain('  claw_write 0644 root root /etc/ssh/sshd_config.d/00-claw-setup.conf && echo claw-setup:changed');
    expect(script).not.toContain('Port 22');
  });

  it('the fresh-login and password-refusal probes, exactly', () => {
    const common =
      '-o BatchMode=yes -o StrictHostKeyChecking=yes -o HostKeyAlias=203.0.113.10 -o UserKnownHostsFile=/home/me/kh -o IdentitiesOnly=yes ' +
      '-i /home/me/.ssh/id_ed25519 -o RemoteCommand=none -o PermitLocalCommand=no -o ClearAllForwardings=yes ' +
      '-o ForwardAgent=no -o ForwardX11=no -o ForwardX11Trusted=no -o Tunnel=no -o GatewayPorts=no -o RequestTTY=no';
    const theirs = '-o ServerAliveInterval=5 -o StrictHostKeyChecking=no -o ConnectTimeout=15';
    expect(shJoin(freshLoginArgs(t, 'deploy', 2222, '100.64.0.9', true))).toBe(
      `ssh -T -o ControlMaster=no -o ControlPath=none -o PreferredAuthentications=publickey ${common} -o LogLevel=ERROR ${theirs} ` +
        "-p 2222 -l deploy -- 100.64.0.9 'sudo -S -k -p '\\'''\\'' true'",
    );
    expect(shJoin(loginRefusedArgs(t, 'deploy', 22, 'password'))).toBe(
      'ssh -T -o ControlMaster=no -o ControlPath=none -v -o PreferredAuthentications=password,keyboard-interactive -o NumberOfPasswordPrompts=0 ' +
        `-o PubkeyAuthentication=no ${common} ${theirs} -p 22 -l deploy -- 203.0.113.10 true`,
    );
    expect(shJoin(loginRefusedArgs(t, 'root', 2222, 'publickey'))).toBe(
      `ssh -T -o ControlMaster=no -o ControlPath=none -o PreferredAuthentications=publickey ${common} -o LogLevel=ERROR ${theirs} -p 2222 -l root -- 203.0.113.10 true`,
    );
  });

  it("gates, runs and writes come from the plan layer's one builder, the one the dry-run printer prints with", () => {
    const w = write('/etc/x.conf', 'x\n', { mode: 0o640, owner: 'root', group: 'adm' });
    expect(writeScript(w)[2]).toContain(`  ${commands.writeCommand(w)} && echo claw-setup:changed`);
    expect(remoteCommand(['echo', 'a b'], 'root')).toBe(`umask 077; ${commands.runCommand(['echo', 'a b'])}`);
    const check = { type: 'fresh-login', user: 'deploy', port: 22, via: 'tailnet', sudo: false } as const;
    expect(commands.laptopGateArgs(t, check, '100.64.0.9')).toEqual(freshLoginArgs(t, 'deploy', 22, '100.64.0.9', false));
    expect(commands.laptopGateArgs(t, check).at(-2)).toBe('<tailscale-ip>');
    expect(commands.laptopGateArgs(t, { type: 'login-refused', user: 'root', port: 22, method: 'publickey' })).toEqual(
      loginRefusedArgs(t, 'root', 22, 'publickey'),
    );
  });

  it('names hosts the way known_hosts does', () => {
    expect(knownHostName('h', 22)).toBe('h');
    expect(knownHostName('h', 2222)).toBe('[h]:2222');
  });
});
