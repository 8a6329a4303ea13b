// templates/host-guard.ts: the drop-in that keeps sshd (and tailscaled) alive when the container
// hogs memory or CPU, checked by systemd-analyze as a drop-in of a real unit.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { renderServiceGuard } from '../../templates/host-guard.js';
import { needTool, run, tempDir } from '../tool-runner.js';

const tmp = tempDir('host-guard');
afterAll(() => tmp.cleanup());

describe('the sshd/tailscaled guard', () => {
  it('renders a drop-in with an OOM score below the container, a CPU weight and reserved memory', () => {
    const t = renderServiceGuard('ssh.service');
    expect(t).toMatch(/^\[Service\]$/m);
    expect(t).toMatch(/^OOMScoreAdjust=-900$/m);
    expect(t).toMatch(/^CPUWeight=1000$/m);
    expect(t).toMatch(/^MemoryMin=64M$/m);
  });

  it('passes systemd-analyze verify as a drop-in of a service', (ctx) => {
    const analyze = needTool(ctx, 'systemd-analyze', 'systemd');
    const dir = join(tmp.dir, 'units');
    mkdirSync(join(dir, 'probe.service.d'), { recursive: true });
    writeFileSync(join(dir, 'probe.service'), '[Service]\nType=oneshot\nExecStart=/bin/true\n');
    writeFileSync(join(dir, 'probe.service.d/claw-setup-guard.conf'), renderServiceGuard('probe.service'));
    const r = run(analyze, ['verify', '--man=no', join(dir, 'probe.service')], { env: { ...process.env, SYSTEMD_UNIT_PATH: `${dir}:` } });
    expect(r.stdout + r.stderr).not.toMatch(/Unknown key|Failed to parse|Invalid/);
    expect(r.status).toBe(0);
  });
});
