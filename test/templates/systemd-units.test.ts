import { chmodSync, cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { VARIANTS, type Variant } from '../template-variants.js';
import { needTool, run } from '../tool-runner.js';
import { renderedFixture } from './rendered-fixture.js';

const { tmp, rendered, filesOf } = renderedFixture('systemd-units');

describe('systemd units: systemd-analyze verify', () => {
  // `systemd-analyze verify` works without a running systemd, but refuses a unit whose
  // ExecStart binary does not exist. So each variant gets a throwaway root (--root):
  // a copy of the host's /lib/systemd/system (targets like sysinit.target), our units at
  // their real /etc/systemd/system paths, and an executable stub at every Exec* path.
  // Its exit status ignores unknown keys and bad values ("…, ignoring"), so stderr must
  // be empty too.
  function verifyRoot(v: Variant): { root: string; units: string[] } {
    const root = join(tmp.dir, 'systemd-root', v);
    mkdirSync(join(root, 'etc/systemd/system'), { recursive: true });
    cpSync('/lib/systemd/system', join(root, 'lib/systemd/system'), { recursive: true, verbatimSymlinks: true });
    const units = rendered[v].filter((f) => f.kind === 'unit');
    for (const u of units) {
      writeFileSync(join(root, 'etc/systemd/system', u.name), u.text);
      for (const m of u.text.matchAll(/^Exec\w*=[-@:+!]*(\/\S+)/gm)) {
        const stub = join(root, m[1]);
        mkdirSync(dirname(stub), { recursive: true });
        writeFileSync(stub, '#!/bin/sh\nexit 0\n');
        chmodSync(stub, 0o755);
      }
    }
    return { root, units: units.map((u) => u.name) };
  }

  it.for(VARIANTS.filter((v) => rendered[v].some((f) => f.kind === 'unit')))('%s', (v, ctx) => {
    const analyze = needTool(ctx, 'systemd-analyze', 'systemd');
    const { root, units } = verifyRoot(v);
    const r = run(analyze, ['verify', '--man=no', `--root=${root}`, ...units]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });

  it('control: a misspelled key is reported on stderr', (ctx) => {
    const analyze = needTool(ctx, 'systemd-analyze', 'systemd');
    const dir = join(tmp.dir, 'systemd-control');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'x-claw.service'), '[Service]\nType=oneshot\nExecStart=/bin/true\nProtectSystm=strict\n');
    const r = run(analyze, ['verify', '--man=no', join(dir, 'x-claw.service')]);
    expect(r.stderr).toContain("Unknown key 'ProtectSystm'");
  });

  it.for(filesOf('unit').filter(([rel]) => rel.endsWith('.timer')))('%s schedule parses', ([, , f], ctx) => {
    const analyze = needTool(ctx, 'systemd-analyze', 'systemd');
    for (const [, key, value] of f.text.matchAll(/^(OnCalendar|OnBootSec|OnUnitActiveSec|RandomizedDelaySec|AccuracySec)=(.+)$/gm)) {
      const r = run(analyze, key === 'OnCalendar' ? ['calendar', value] : ['timespan', value]);
      expect(r.status, `${key}=${value}: ${r.stderr}`).toBe(0);
    }
  });
});
