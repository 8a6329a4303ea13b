import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { VARIANTS, loadAnswers } from '../template-variants.js';
import { needTool, run } from '../tool-runner.js';
import { renderedFixture } from './rendered-fixture.js';

const { tmp, rendered, filesOf, writeTemp } = renderedFixture('apt');

describe('apt: apt-config parses the conf files, apt-get reads the deb822 sources', () => {
  it.for(filesOf('apt-conf'))('%s', ([rel, v, f], ctx) => {
    const aptConfig = needTool(ctx, 'apt-config', 'apt');
    const a = loadAnswers(v);
    const path = writeTemp(`apt/${rel}`, f.text);
    const r = run(aptConfig, ['-c', path, 'dump']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
    if (rel.endsWith('20auto-upgrades')) {
      expect(r.stdout).toContain('APT::Periodic::Unattended-Upgrade "1";');
      expect(r.stdout).toContain('APT::Periodic::Update-Package-Lists "1";');
    } else {
      expect(r.stdout).toContain('Unattended-Upgrade::Origins-Pattern:: "origin=Docker,label=Docker CE";');
      expect(r.stdout).toContain(`Unattended-Upgrade::Automatic-Reboot "${a.updates.autoReboot}";`);
      expect(r.stdout.includes('"origin=Tailscale,label=Tailscale"')).toBe(a.tailscale.enabled);
    }
  });

  it.for(VARIANTS)('%s sources', (v, ctx) => {
    const aptGet = needTool(ctx, 'apt-get', 'apt');
    const dir = join(tmp.dir, 'apt-sources', v);
    mkdirSync(join(dir, 'parts'), { recursive: true });
    mkdirSync(join(dir, 'lists', 'partial'), { recursive: true });
    const sources = rendered[v].filter((f) => f.kind === 'apt-source');
    for (const s of sources) writeFileSync(join(dir, 'parts', s.name), s.text);
    const opts = [
      '-o',
      'Dir::Etc::SourceList=/dev/null',
      '-o',
      `Dir::Etc::SourceParts=${dir}/parts`,
      '-o',
      `Dir::State::Lists=${dir}/lists`,
      '-o',
      'Debug::NoLocking=1',
    ];
    const r = run(aptGet, [...opts, 'update', '--print-uris']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).not.toMatch(/^[EW]:/m);
    for (const s of sources) {
      const uri = /^URIs: (\S+)$/m.exec(s.text)![1];
      const suite = /^Suites: (\S+)$/m.exec(s.text)![1];
      expect(r.stdout).toContain(`'${uri}/dists/${suite}/InRelease'`);
    }
  });
});
