import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { VARIANTS, loadAnswers, type Variant } from '../template-variants.js';
import { needTool, run, sshdLauncher } from '../tool-runner.js';
import { renderedFixture } from './rendered-fixture.js';

const { tmp, file } = renderedFixture('sshd-drop-in');

describe('sshd drop-in: sshd -t and sshd -T against a stock config with cloud-init', () => {
  // The stock Debian/Ubuntu sshd_config includes sshd_config.d/*.conf on its first line and
  // then sets X11Forwarding yes; cloud images add 50-cloud-init.conf with PasswordAuthentication
  // yes. Our 00- drop-in must win all of those (sshd keeps the first value it reads).
  function setup(v: Variant, dropInName: string) {
    const dir = join(tmp.dir, 'sshd', v, dropInName);
    mkdirSync(join(dir, 'sshd_config.d'), { recursive: true });
    const stockPath = existsSync('/usr/share/openssh/sshd_config') ? '/usr/share/openssh/sshd_config' : '/etc/ssh/sshd_config';
    const stock = readFileSync(stockPath, 'utf8');
    expect(stock, `${stockPath} should be the distro's stock file`).toMatch(/^Include \/etc\/ssh\/sshd_config\.d\/\*\.conf$/m);
    const config = stock.replace(/^Include \/etc\/ssh\/sshd_config\.d\/\*\.conf$/m, `Include ${dir}/sshd_config.d/*.conf`);
    const hostKey = join(dir, 'ssh_host_ed25519_key');
    const keygen = run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', hostKey]);
    expect(keygen.status, keygen.stderr).toBe(0);
    writeFileSync(join(dir, 'sshd_config'), `${config}\nHostKey ${hostKey}\n`);
    writeFileSync(join(dir, 'sshd_config.d', dropInName), file(v, '00-claw-setup.conf').text);
    writeFileSync(join(dir, 'sshd_config.d', '50-cloud-init.conf'), 'PasswordAuthentication yes\n');
    return join(dir, 'sshd_config');
  }
  function effective(sshd: string, config: string, user: string): Record<string, string> {
    const [cmd, prefix] = sshdLauncher(sshd);
    const t = run(cmd, [...prefix, '-t', '-f', config]);
    expect(t.status, `sshd -t: ${t.stderr}`).toBe(0);
    const T = run(cmd, [...prefix, '-T', '-f', config, '-C', `user=${user},host=x,addr=203.0.113.9`]);
    expect(T.status, `sshd -T: ${T.stderr}`).toBe(0);
    return Object.fromEntries(
      T.stdout
        .split('\n')
        .filter(Boolean)
        .map((l) => [l.slice(0, l.indexOf(' ')), l.slice(l.indexOf(' ') + 1)]),
    );
  }

  it.for(VARIANTS)('%s', (v, ctx) => {
    const sshd = needTool(ctx, 'sshd', 'openssh-server');
    const a = loadAnswers(v);
    const eff = effective(sshd, setup(v, '00-claw-setup.conf'), a.deployUser.name);
    expect(eff).toMatchObject({
      port: String(a.ssh.port),
      passwordauthentication: 'no',
      kbdinteractiveauthentication: 'no',
      permitrootlogin: 'no',
      pubkeyauthentication: 'yes',
      authenticationmethods: 'publickey',
      permitemptypasswords: 'no',
      allowusers: a.deployUser.name,
      maxauthtries: String(a.ssh.maxAuthTries),
      x11forwarding: 'no',
      allowagentforwarding: 'no',
      allowtcpforwarding: a.ssh.allowTcpForwarding,
      allowstreamlocalforwarding: 'no',
      permittunnel: 'no',
      usepam: 'yes',
      clientaliveinterval: '300',
      clientalivecountmax: '2',
    });
  });

  it('control: the same drop-in sorted after 50-cloud-init.conf loses, so the ordering check is real', (ctx) => {
    const sshd = needTool(ctx, 'sshd', 'openssh-server');
    const eff = effective(sshd, setup('minimal', '60-claw-setup.conf'), 'deploy');
    expect(eff.passwordauthentication).toBe('yes');
  });
});
