import { cpSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TEST_OPERATOR_IP, loadAnswers } from '../template-variants.js';
import { needTool, run } from '../tool-runner.js';
import { renderedFixture } from './rendered-fixture.js';

const { tmp, filesOf } = renderedFixture('fail2ban-jail');

describe('fail2ban jail: fail2ban-client -t and the effective settings', () => {
  it.for(filesOf('fail2ban'))('%s', ([rel, v, f], ctx) => {
    const client = needTool(ctx, 'fail2ban-client', 'fail2ban python3-systemd');
    const a = loadAnswers(v);
    const conf = join(tmp.dir, 'fail2ban', rel);
    cpSync('/etc/fail2ban', conf, { recursive: true, dereference: true });
    writeFileSync(join(conf, 'jail.d', 'claw-setup.local'), f.text);
    const t = run(client, ['-c', conf, '-t']);
    expect(t.status, t.stderr + t.stdout).toBe(0);
    const d = run(client, ['-c', conf, '-d']);
    expect(d.status, d.stderr).toBe(0);
    const out = d.stdout;
    expect(out).toContain("['add', 'sshd', 'systemd']");
    expect(out).toContain(`['set', 'sshd', 'maxretry', ${a.fail2ban.maxRetry}]`);
    expect(out).toContain(`['set', 'sshd', 'bantime', '${a.fail2ban.banTime}']`);
    expect(out).toContain(`['set', 'sshd', 'findtime', '${a.fail2ban.findTime}']`);
    expect(out).toContain(`['port', '${a.ssh.port}']`);
    const ignore = /\['set', 'sshd', 'addignoreip', ([^\]]*)\]/.exec(out)?.[1] ?? '';
    expect(ignore).toContain(`'${a.operatorIp === 'auto' ? TEST_OPERATOR_IP : a.operatorIp}'`);
    expect(ignore.includes("'100.64.0.0/10'")).toBe(a.tailscale.enabled);
  });
});
