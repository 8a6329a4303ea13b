import { describe, expect, it } from 'vitest';
import { OS_TABLE } from '../../src/plan/facts.js';
import { caddyAptSource, dockerAptSource, tailscaleAptSource } from '../../templates/apt-source.js';

describe('apt sources', () => {
  it('use the real upstream URLs', () => {
    const jammy = OS_TABLE['ubuntu-22.04'];
    const bookworm = OS_TABLE['debian-12'];
    expect(dockerAptSource(jammy)).toMatchObject({
      keyUrl: 'https://download.docker.com/linux/ubuntu/gpg',
      keyringPath: '/etc/apt/keyrings/docker.asc',
    });
    expect(dockerAptSource(bookworm).text).toContain('URIs: https://download.docker.com/linux/debian\nSuites: bookworm\n');
    expect(tailscaleAptSource(jammy)).toMatchObject({
      keyUrl: 'https://pkgs.tailscale.com/stable/ubuntu/jammy.noarmor.gpg',
      keyringPath: '/usr/share/keyrings/tailscale-archive-keyring.gpg',
    });
    expect(caddyAptSource()).toMatchObject({
      keyUrl: 'https://dl.cloudsmith.io/public/caddy/stable/gpg.key',
      keyringPath: '/etc/apt/keyrings/caddy-stable.asc',
    });
    expect(caddyAptSource().text).toContain('Suites: any-version\n');
  });
});
