import { parse as parseYaml } from 'yaml';
import { describe, expect, it } from 'vitest';
import { memoryLimitMiB } from '../../templates/compose.js';
import { CONTAINER_UID } from '../../templates/gateway-shared.js';
import { loadAnswers } from '../template-variants.js';
import { renderedFixture } from './rendered-fixture.js';

const { filesOf } = renderedFixture('compose');

describe('docker-compose.yml: parse back and check the safety properties', () => {
  it.each(filesOf('compose'))('%s', (_rel, v, f) => {
    const a = loadAnswers(v);
    const doc = parseYaml(f.text) as { services: Record<string, Record<string, unknown>>; networks: Record<string, unknown> };
    const services = Object.values(doc.services);
    expect(services).toHaveLength(1);
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- parsed YAML
    const s = doc.services['openclaw-gateway'] as Record<string, any>;
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- parsed YAML
    for (const svc of services as Record<string, any>[]) {
      for (const p of svc.ports ?? []) expect(String(p)).toMatch(/^127\.0\.0\.1:\d+:\d+$/);
      for (const vol of svc.volumes ?? []) expect(JSON.stringify(vol)).not.toMatch(/docker\.sock/);
      expect(svc.privileged).toBeUndefined();
      expect(svc.network_mode).toBeUndefined();
    }
    expect(f.text).not.toContain('docker.sock"');
    expect(s.ports).toEqual([`127.0.0.1:${a.openclaw.gatewayPort}:18789`, `127.0.0.1:${a.openclaw.bridgePort}:18790`]);
    expect(s.cap_drop).toContain('ALL');
    expect(s.security_opt).toContain('no-new-privileges:true');
    expect(s.user).toBe(`${CONTAINER_UID}:${CONTAINER_UID}`);
    expect(s.read_only).toBe(true);
    expect(s.image).toBe(`${a.openclaw.image}:${a.openclaw.version}`);
    expect(String(s.image).split(':').pop()).toBe(a.openclaw.version);
    expect(s.command).toEqual(['node', 'dist/index.js', 'gateway', '--bind', 'lan', '--port', '18789']);
    const heap = Number(/--max-old-space-size=(\d+)/.exec(s.environment.NODE_OPTIONS)?.[1]);
    const limit = memoryLimitMiB(s.mem_limit);
    expect(heap).toBeGreaterThan(limit / 2);
    expect(heap).toBeLessThan(limit);
    expect(s.pids_limit).toBe(a.openclaw.pidsLimit);
    expect(s.logging).toEqual({ driver: 'json-file', options: { 'max-size': '10m', 'max-file': '3' } });
    expect(s.healthcheck.test.join(' ')).toContain('http://127.0.0.1:18789/healthz');
    expect(s.env_file).toEqual(['.env']);
    // Compose interpolates "$" in every string; nothing we render may contain one.
    expect(f.text).not.toContain('$');
    expect(doc.networks).toEqual({
      openclaw: {
        driver: 'bridge',
        driver_opts: { 'com.docker.network.bridge.name': 'br-openclaw' },
        ipam: { config: [{ subnet: '172.31.240.0/24', gateway: '172.31.240.1' }] },
      },
    });
  });
});
