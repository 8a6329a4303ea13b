import { describe, expect, it } from 'vitest';
import { serverPaths } from '../../src/plan/paths.js';
import { loadAnswers } from '../template-variants.js';
import { renderedFixture } from './rendered-fixture.js';

const { filesOf, file } = renderedFixture('env-file');

describe('daemon.json and env files parse back', () => {
  it.each(filesOf('env'))('%s', (rel, v, f) => {
    const keys: string[] = [];
    for (const line of f.text.split('\n')) {
      if (line === '' || line.startsWith('#')) continue;
      // One KEY=value per line that compose's dotenv and systemd's EnvironmentFile= read alike.
      const m = /^([A-Z][A-Z0-9_]*)=('[^'\n]*'|[A-Za-z0-9_./:-]*)$/.exec(line);
      expect(m, `bad line in ${rel}: ${line}`).not.toBeNull();
      keys.push(m![1]);
    }
    expect(new Set(keys).size).toBe(keys.length);
    if (rel.endsWith('/env')) {
      expect(keys[0]).toBe('OPENCLAW_GATEWAY_TOKEN');
      // Every SecretRef in openclaw.json names a variable the .env provides.
      const refs = [...file(v, 'openclaw.json').text.matchAll(/"id": "([A-Z0-9_]+)"/g)].map((m) => m[1]);
      for (const id of refs) expect(keys).toContain(id);
    }
  });

  it('paths used in the units match serverPaths', () => {
    const p = serverPaths(loadAnswers('full'));
    expect(file('full', 'openclaw-backup.service').text).toContain(`ExecStart=${p.backupScript}\n`);
    expect(file('full', 'openclaw-health.service').text).toContain(`ExecStart=${p.healthScript}\n`);
    expect(file('full', 'openclaw-health.service').text).toContain(`EnvironmentFile=-${p.monitoringEnv}\n`);
  });
});
