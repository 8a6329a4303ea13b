// steps/docker.ts: Docker Engine from Docker's signed repository, or with packages.source "distro"
// the release's own docker.io and compose v2 (refused, naming the fix, where the release has none).
import { describe, expect, it } from 'vitest';
import { assumedFacts } from '../../src/plan/facts.js';
import type { Plan } from '../../src/plan/action.js';
import { DOCKER_PACKAGES } from '../../steps/docker.js';
import { actionLines, answersWith as answers, EXAMPLE, planFor, printed, readAnswers, stepOf as step } from '../helpers.js';

describe('packages.source and current releases', () => {
  const docker = (plan: Plan) =>
    step(plan, 'docker')!
      .actions.map((a) => (a.kind === 'run' ? a.argv.join(' ') : a.kind === 'write' ? `write ${a.path}` : a.kind))
      .join('\n');

  it('distro on Debian 13: docker.io, compose v2 and containerd from Debian, no vendor key or source', () => {
    const { plan } = planFor(answers({ packages: { source: 'distro' } }), assumedFacts('debian-13', 'root', '198.51.100.7'));
    const d = docker(plan);
    expect(d).toMatch(/apt-get -q -y .* install --no-install-recommends docker.io docker-cli docker-compose containerd$/m);
    expect(d).not.toContain('download.docker.com');
    expect(d).not.toContain('docker.sources');
    expect(step(plan, 'docker')!.summary[0]).toContain("Debian GNU/Linux 13 (trixie)'s own repositories");
  });

  it('distro on Ubuntu 24.04 and 26.04 uses docker-compose-v2; upstream stays the default', () => {
    for (const os of ['ubuntu-24.04', 'ubuntu-26.04'] as const) {
      const { plan } = planFor(answers({ packages: { source: 'distro' } }), assumedFacts(os, 'root', '198.51.100.7'));
      expect(docker(plan)).toMatch(/install --no-install-recommends docker.io docker-compose-v2 containerd$/m);
    }
    const { plan } = planFor(answers(), assumedFacts('debian-13', 'root', '198.51.100.7'));
    expect(docker(plan)).toContain('https://download.docker.com/linux/debian/gpg');
    expect(docker(plan)).toContain('docker-ce');
  });

  it('distro is refused where the release has no compose v2 (Debian 12) or no caddy (Ubuntu 22.04), naming the fix', () => {
    expect(() => planFor(answers({ packages: { source: 'distro' } }), assumedFacts('debian-12', 'root', '198.51.100.7'))).toThrow(
      /packages.source "distro" cannot be used on Debian GNU\/Linux 12 \(bookworm\): it has no Docker compose v2 package/,
    );
    const caddy = answers({ packages: { source: 'distro' }, access: { mode: 'caddy', domain: 'claw.example.com', email: 'me@example.com' } });
    expect(() => planFor(caddy, assumedFacts('ubuntu-22.04', 'root', '198.51.100.7'))).toThrow(/has no caddy package/);
    const { plan } = planFor(caddy, assumedFacts('debian-13', 'root', '198.51.100.7'));
    const access = step(plan, 'access')!
      .actions.map((a) => (a.kind === 'run' ? a.argv.join(' ') : ''))
      .join('\n');
    expect(access).toMatch(/install --no-install-recommends caddy$/m);
    expect(access).not.toContain('cloudsmith');
  });

  it('Ubuntu 24.04 and 26.04 start sshd from ssh.socket on a fresh install; Debian 13 does not', () => {
    expect(assumedFacts('ubuntu-26.04').sshSocket).toBe(true);
    expect(assumedFacts('ubuntu-24.04').sshSocket).toBe(true);
    expect(assumedFacts('debian-13').sshSocket).toBe(false);
    expect(assumedFacts('debian-13').os.codename).toBe('trixie');
    expect(assumedFacts('ubuntu-26.04').os.codename).toBe('resolute');
  });

  it('plans for Debian 12 with the debian Docker repository', () => {
    const { plan: deb } = planFor(readAnswers(EXAMPLE), assumedFacts('debian-12', 'root', '198.51.100.7'));
    expect(printed(deb)).toContain('download.docker.com/linux/debian');
  });
});

describe('docker step', () => {
  it('is left out with docker.install false', () => {
    expect(step(planFor(answers({ docker: { install: false } })).plan, 'docker')).toBeUndefined();
  });

  it('upstream: key, source, daemon.json, then install and start; the restart that applies daemon.json runs only when it changed', () => {
    const { plan } = planFor(answers(), assumedFacts('debian-13', 'root', '198.51.100.7'));
    const acts = step(plan, 'docker')!.actions;
    const lines = actionLines(acts);
    const at = (re: RegExp) => lines.findIndex((l) => re.test(l));
    expect(at(/^curl .*download\.docker\.com\/linux\/debian\/gpg$/)).toBeLessThan(at(/^write \/etc\/apt\/sources\.list\.d\/docker\.sources$/));
    expect(at(/^write \/etc\/docker\/daemon\.json$/)).toBeLessThan(at(/ install --no-install-recommends /));
    expect(lines.find((l) => l.includes(' install --no-install-recommends '))).toMatch(new RegExp(`${DOCKER_PACKAGES.join(' ')}$`));
    expect(lines.slice(-2)).toEqual(['systemctl enable --now docker', 'systemctl restart docker']);
    expect(acts.at(-1)).toMatchObject({ kind: 'run', when: 'changed' });
  });
});
