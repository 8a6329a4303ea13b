// templates/egress.ts: the claw-setup-egress script (shellcheck, and run for real against recording
// iptables stubs: which rules, in which order, for which answers; --check) and its units
// (systemd-analyze verify). Where the step plans them: test/steps/egress.test.ts.
import { chmodSync, cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { answersSchema } from '../../src/answers/schema.js';
import {
  EGRESS_DNS_UNIT,
  EGRESS_SCRIPT,
  EGRESS_UNIT,
  renderEgressDnsPath,
  renderEgressDnsService,
  renderEgressScript,
  renderEgressService,
} from '../../templates/egress.js';
import { needTool, run, tempDir } from '../tool-runner.js';

const tmp = tempDir('egress');
afterAll(() => tmp.cleanup());

/**
 * Runs the rendered script with iptables, ip6tables and their -restore as stubs on PATH: they log
 * every call, keep what -restore was fed, and answer -S/-C from a canned state so --check can pass
 * or fail. resolv_files is pointed at a temp resolv.conf (the only line changed).
 */
function runScript(name: string, answers: unknown, opts: { args?: string[]; resolv?: string; state?: string } = {}) {
  const dir = join(tmp.dir, name);
  const bin = join(dir, 'bin');
  mkdirSync(bin, { recursive: true });
  writeFileSync(join(dir, 'resolv.conf'), opts.resolv ?? 'nameserver 127.0.0.53\n');
  writeFileSync(join(dir, 'state'), opts.state ?? '');
  const stub = `#!/bin/bash
me=$(basename "$0")
echo "$me $*" >>"${dir}/calls"
case $me in *-restore) cat >>"${dir}/restore-$me"; exit 0 ;; esac
case " $* " in
  *" -S "*) grep -F -- "$me $* => " "${dir}/state" | sed 's/^.* => //' | tr '|' '\\n'; exit 0 ;;
  *" -C "*) grep -qxF -- "$me $*" "${dir}/state"; exit ;;
  *" -D "*) exit 1 ;;
esac
exit 0
`;
  for (const b of ['iptables', 'ip6tables', 'iptables-restore', 'ip6tables-restore']) {
    writeFileSync(join(bin, b), stub);
    chmodSync(join(bin, b), 0o755);
  }
  const a = answersSchema.parse(answers);
  const script = join(dir, 'claw-setup-egress');
  const text = renderEgressScript(a).replace(/^resolv_files=.*$/m, `resolv_files=(${dir}/resolv.conf)`);
  writeFileSync(script, text);
  const r = run('bash', [script, ...(opts.args ?? [])], { env: { ...process.env, PATH: `${bin}:${process.env.PATH}` } });
  const read = (f: string) => {
    try {
      return readFileSync(join(dir, f), 'utf8');
    } catch {
      return '';
    }
  };
  return { ...r, calls: read('calls'), restore4: read('restore-iptables-restore'), restore6: read('restore-ip6tables-restore'), text };
}

describe('claw-setup-egress script', () => {
  const a = answersSchema.parse({ openclaw: { egress: { allow: ['10.0.0.5:11434', '192.168.1.0/24', '[fd00::5]:443'] } } });

  it('passes shellcheck and bash -n', (ctx) => {
    const file = join(tmp.dir, 'claw-setup-egress.sh');
    writeFileSync(file, renderEgressScript(a));
    expect(run('bash', ['-n', file]).status).toBe(0);
    const sc = run(needTool(ctx, 'shellcheck', 'shellcheck'), ['-S', 'style', file]);
    expect(sc.stdout + sc.stderr).toBe('');
    expect(sc.status).toBe(0);
  });

  it('mode public: one atomic restore per family; DNS and the allow-list before the drops; new connections from the container to the host end in DROP', () => {
    const r = runScript(
      'public',
      { openclaw: { egress: { allow: ['10.0.0.5:11434', '192.168.1.0/24', '[fd00::5]:443'] } } },
      {
        resolv: 'nameserver 127.0.0.53\nnameserver 10.0.0.2\nnameserver fe80::1%eth0\nnameserver 2001:db8::53\nnameserver 1.2.3.4;reboot\n',
      },
    );
    expect(r.status, r.stdout + r.stderr).toBe(0);
    const lines = r.restore4.trim().split('\n');
    expect(lines[0]).toBe('*filter');
    expect(lines.slice(1, 3)).toEqual([':CLAW-EGRESS - [0:0]', ':CLAW-HOST - [0:0]']);
    expect(lines.at(-1)).toBe('COMMIT');
    const egress = lines.filter((l) => l.startsWith('-A CLAW-EGRESS '));
    expect(egress).toEqual([
      '-A CLAW-EGRESS -m conntrack --ctstate RELATED,ESTABLISHED -j RETURN',
      '-A CLAW-EGRESS -o br-openclaw -j RETURN',
      '-A CLAW-EGRESS -d 10.0.0.2/32 -p udp -m udp --dport 53 -j RETURN',
      '-A CLAW-EGRESS -d 10.0.0.2/32 -p tcp -m tcp --dport 53 -j RETURN',
      '-A CLAW-EGRESS -d 10.0.0.5/32 -p tcp -m tcp --dport 11434 -j RETURN',
      '-A CLAW-EGRESS -d 10.0.0.5/32 -p udp -m udp --dport 11434 -j RETURN',
      '-A CLAW-EGRESS -d 192.168.1.0/24 -j RETURN',
      '-A CLAW-EGRESS -d 0.0.0.0/8 -j DROP',
      '-A CLAW-EGRESS -d 10.0.0.0/8 -j DROP',
      '-A CLAW-EGRESS -d 100.64.0.0/10 -j DROP',
      '-A CLAW-EGRESS -d 169.254.0.0/16 -j DROP',
      '-A CLAW-EGRESS -d 172.16.0.0/12 -j DROP',
      '-A CLAW-EGRESS -d 192.168.0.0/16 -j DROP',
      '-A CLAW-EGRESS -d 168.63.129.16/32 -j DROP',
    ]);
    const host = lines.filter((l) => l.startsWith('-A CLAW-HOST '));
    expect(host[0]).toBe('-A CLAW-HOST -m conntrack --ctstate RELATED,ESTABLISHED -j RETURN');
    expect(host.at(-1)).toBe('-A CLAW-HOST -j DROP');
    expect(host).toContain('-A CLAW-HOST -d 10.0.0.5/32 -p tcp -m tcp --dport 11434 -j ACCEPT');
    // The loopback, scoped and malformed nameservers never reach iptables (its arguments or the rules it is fed).
    expect(r.calls).not.toMatch(/127\.0\.0\.53|fe80::1|reboot|1\.2\.3\.4/);
    expect(r.restore4 + r.restore6).not.toMatch(/127\.0\.0\.53|fe80::1|reboot|1\.2\.3\.4/);
    const v6 = r.restore6.split('\n');
    expect(v6).toContain('-A CLAW-EGRESS -d 2001:db8::53/128 -p udp -m udp --dport 53 -j RETURN');
    expect(v6).toContain('-A CLAW-EGRESS -d fd00::5/128 -p tcp -m tcp --dport 443 -j RETURN');
    expect(v6.indexOf('-A CLAW-EGRESS -d fd00::5/128 -p tcp -m tcp --dport 443 -j RETURN')).toBeLessThan(v6.indexOf('-A CLAW-EGRESS -d fc00::/7 -j DROP'));
    expect(v6).toContain('-A CLAW-HOST -p ipv6-icmp -m icmp6 --icmpv6-type neighbour-solicitation -j RETURN');
    expect(r.restore4).not.toContain('fd00::5');
    // The jumps go first: DOCKER-USER (made if Docker has not yet) and INPUT, ahead of ufw's chains.
    expect(r.calls).toContain('iptables -w -I DOCKER-USER 1 -i br-openclaw -j CLAW-EGRESS');
    expect(r.calls).toContain('iptables -w -I INPUT 1 -i br-openclaw -j CLAW-HOST');
    expect(r.calls).toContain('ip6tables -w -I INPUT 1 -i br-openclaw -j CLAW-HOST');
    expect(r.calls).toContain('iptables-restore -w --noflush');
    expect(r.stdout).toContain('iptables: 14 rules in CLAW-EGRESS, 7 in CLAW-HOST (mode public)');
  });

  it('mode allowlist: only DNS and the listed destinations, then drop everything', () => {
    const r = runScript('allowlist', { openclaw: { egress: { mode: 'allowlist', allow: ['203.0.113.5:3128'] } } }, { resolv: 'nameserver 9.9.9.9\n' });
    expect(r.status, r.stderr).toBe(0);
    expect(r.restore4.split('\n').filter((l) => l.startsWith('-A CLAW-EGRESS '))).toEqual([
      '-A CLAW-EGRESS -m conntrack --ctstate RELATED,ESTABLISHED -j RETURN',
      '-A CLAW-EGRESS -o br-openclaw -j RETURN',
      '-A CLAW-EGRESS -d 9.9.9.9/32 -p udp -m udp --dport 53 -j RETURN',
      '-A CLAW-EGRESS -d 9.9.9.9/32 -p tcp -m tcp --dport 53 -j RETURN',
      '-A CLAW-EGRESS -d 203.0.113.5/32 -p tcp -m tcp --dport 3128 -j RETURN',
      '-A CLAW-EGRESS -d 203.0.113.5/32 -p udp -m udp --dport 3128 -j RETURN',
      '-A CLAW-EGRESS -j DROP',
    ]);
  });

  it('--check changes nothing, and passes only when every rule is there, nothing more, and the jumps come first', () => {
    const answers = { openclaw: { egress: { mode: 'allowlist', allow: ['203.0.113.5'] } } };
    // The state a correct apply leaves, as the stubs answer -S and -C.
    const rules = [
      'CLAW-EGRESS -m conntrack --ctstate RELATED,ESTABLISHED -j RETURN',
      'CLAW-EGRESS -o br-openclaw -j RETURN',
      'CLAW-EGRESS -d 203.0.113.5/32 -j RETURN',
      'CLAW-EGRESS -j DROP',
      'CLAW-HOST -m conntrack --ctstate RELATED,ESTABLISHED -j RETURN',
      'CLAW-HOST -d 203.0.113.5/32 -j ACCEPT',
      'CLAW-HOST -j DROP',
    ];
    const v6rules = [
      ...rules.slice(0, 2),
      'CLAW-EGRESS -j DROP',
      rules[4],
      ...['router-solicitation', 'neighbour-solicitation', 'neighbour-advertisement'].map(
        (t) => `CLAW-HOST -p ipv6-icmp -m icmp6 --icmpv6-type ${t} -j RETURN`,
      ),
      'CLAW-HOST -j DROP',
    ];
    const state = (ipt: string, rs: string[], jumpFirst = true) => {
      const count = (c: string) => rs.filter((x) => x.startsWith(`${c} `)).map((x) => `-A ${x}`);
      return [
        ...rs.map((x) => `${ipt} -w -C ${x}`),
        `${ipt} -w -S CLAW-EGRESS => -N CLAW-EGRESS|${count('CLAW-EGRESS').join('|')}`,
        `${ipt} -w -S CLAW-HOST => -N CLAW-HOST|${count('CLAW-HOST').join('|')}`,
        `${ipt} -w -S DOCKER-USER => -N DOCKER-USER|${jumpFirst ? '-A DOCKER-USER -i br-openclaw -j CLAW-EGRESS|-A DOCKER-USER -j RETURN' : '-A DOCKER-USER -j RETURN|-A DOCKER-USER -i br-openclaw -j CLAW-EGRESS'}`,
        `${ipt} -w -S INPUT => -P INPUT DROP|-A INPUT -i br-openclaw -j CLAW-HOST|-A INPUT -j ufw-before-logging-input`,
      ];
    };
    const good = [...state('iptables', rules), ...state('ip6tables', v6rules)].join('\n');
    const ok = runScript('check-ok', answers, { args: ['--check'], state: good });
    expect(ok.status, ok.stdout + ok.stderr).toBe(0);
    expect(ok.calls).not.toMatch(/ -[IDNA] |restore/);

    const missing = runScript('check-missing', answers, { args: ['--check'], state: good.replace('iptables -w -C CLAW-EGRESS -j DROP\n', '') });
    expect(missing.status).toBe(1);
    expect(missing.stdout).toContain('iptables: missing rule: CLAW-EGRESS -j DROP');

    const extra = runScript('check-extra', answers, {
      args: ['--check'],
      state: good.replace('|-A CLAW-EGRESS -j DROP', '|-A CLAW-EGRESS -j DROP|-A CLAW-EGRESS -j RETURN'),
    });
    expect(extra.status).toBe(1);
    expect(extra.stdout).toContain('CLAW-EGRESS has 5 rules, want 4');

    const order = runScript('check-order', answers, {
      args: ['--check'],
      state: [...state('iptables', rules, false), ...state('ip6tables', v6rules)].join('\n'),
    });
    expect(order.status).toBe(1);
    expect(order.stdout).toContain("iptables: '-i br-openclaw -j CLAW-EGRESS' is not the first rule of DOCKER-USER");
    expect(order.calls).not.toMatch(/ -[IDNA] |restore/);
  });
});

describe(`${EGRESS_UNIT} and ${EGRESS_DNS_UNIT}.path`, () => {
  it('passes systemd-analyze verify', (ctx) => {
    const analyze = needTool(ctx, 'systemd-analyze', 'systemd');
    const root = join(tmp.dir, 'systemd-root');
    mkdirSync(join(root, 'etc/systemd/system'), { recursive: true });
    cpSync('/lib/systemd/system', join(root, 'lib/systemd/system'), { recursive: true, verbatimSymlinks: true });
    // The units it names: docker.service and ufw.service may be absent from this machine.
    writeFileSync(join(root, 'etc/systemd/system/docker.service'), '[Service]\nExecStart=/usr/bin/dockerd\n');
    writeFileSync(join(root, 'etc/systemd/system/ufw.service'), '[Service]\nType=oneshot\nExecStart=/usr/bin/true\n');
    for (const p of [EGRESS_SCRIPT, '/usr/bin/dockerd', '/usr/bin/true']) {
      mkdirSync(join(root, p, '..'), { recursive: true });
      writeFileSync(join(root, p), '#!/bin/sh\nexit 0\n');
      chmodSync(join(root, p), 0o755);
    }
    writeFileSync(join(root, 'etc/systemd/system', EGRESS_UNIT), renderEgressService());
    writeFileSync(join(root, 'etc/systemd/system', `${EGRESS_DNS_UNIT}.path`), renderEgressDnsPath());
    writeFileSync(join(root, 'etc/systemd/system', `${EGRESS_DNS_UNIT}.service`), renderEgressDnsService());
    const r = run(analyze, ['verify', '--man=no', `--root=${root}`, EGRESS_UNIT, `${EGRESS_DNS_UNIT}.path`, `${EGRESS_DNS_UNIT}.service`]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });

  it('runs before Docker, after ufw, and again with every restart of Docker', () => {
    const u = renderEgressService();
    expect(u).toMatch(/^Before=docker\.service$/m);
    expect(u).toMatch(/^After=ufw\.service$/m);
    expect(u).toMatch(/^PartOf=docker\.service$/m);
    expect(u).toMatch(/^WantedBy=multi-user\.target docker\.service$/m);
    expect(u).toContain(`ExecStart=${EGRESS_SCRIPT}\n`);
  });

  it('the path unit runs the script again when either resolv.conf changes (its service never stays active)', () => {
    const p = renderEgressDnsPath();
    expect(p).toMatch(/^PathChanged=\/etc\/resolv\.conf$/m);
    expect(p).toMatch(/^PathChanged=\/run\/systemd\/resolve\/resolv\.conf$/m);
    expect(p).toContain(`Unit=${EGRESS_DNS_UNIT}.service\n`);
    const svc = renderEgressDnsService();
    expect(svc).toContain(`ExecStart=${EGRESS_SCRIPT}\n`);
    expect(svc).not.toContain('RemainAfterExit');
  });
});
