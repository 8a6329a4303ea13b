import { chmodSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderBackupScript } from '../../templates/backup.js';
import { loadAnswers } from '../template-variants.js';
import { run } from '../tool-runner.js';
import { renderedFixture } from './rendered-fixture.js';

const { tmp, filesOf, writeTemp } = renderedFixture('backup');

describe('backup script: never changes the mode of a directory it did not create', () => {
  // The backup directory could be a shared one (a mount point, a parent the operator made):
  // making an existing directory root-only is how a backup job locks every other login out.
  // The script runs for real under bash, with only its src= and dest= lines pointed into a temp tree.
  const root = join(tmp.dir, 'backup-mode');
  const src = join(root, 'home', 'deploy', 'openclaw');
  mkdirSync(join(src, 'config'), { recursive: true });
  writeFileSync(join(src, 'docker-compose.yml'), 'services: {}\n');
  writeFileSync(join(src, 'config', 'openclaw.json'), '{}\n');
  function scriptFor(dest: string, name: string): string {
    const text = renderBackupScript(loadAnswers('full'))
      .replace(/^src=.*$/m, `src=${src.replace(/^\/+/, '')}`)
      .replace(/^dest=.*$/m, `dest=${dest}`);
    return writeTemp(`backup-mode/${name}`, text);
  }

  it.for(filesOf('script').filter(([rel]) => rel.endsWith('/openclaw-backup.sh')))('%s has no chmod and creates only a missing directory', ([, , f]) => {
    expect(f.text).not.toMatch(/\bchmod\b/);
    expect(f.text).not.toMatch(/\bmkdir\b/);
    expect(f.text).toContain('[ -d "$dest" ] || install -d -m 0700 "$dest"\n');
  });

  it('an existing directory (mode 755) keeps its mode; the archive itself is 600', () => {
    const dest = join(root, 'shared');
    mkdirSync(dest, { recursive: true });
    chmodSync(dest, 0o755);
    const r = run('bash', [scriptFor(dest, 'existing.sh')]);
    expect(r.status, r.stderr).toBe(0);
    expect(statSync(dest).mode & 0o777).toBe(0o755);
    const archives = readdirSync(dest).filter((n) => n.endsWith('.tar.gz'));
    expect(archives).toHaveLength(1);
    expect(statSync(join(dest, archives[0])).mode & 0o777).toBe(0o600);
  });

  it('a missing directory is created root-only (700), missing parents included', () => {
    const dest = join(root, 'new', 'backups', 'openclaw');
    const r = run('bash', [scriptFor(dest, 'missing.sh')]);
    expect(r.status, r.stderr).toBe(0);
    expect(statSync(dest).mode & 0o777).toBe(0o700);
    expect(readdirSync(dest).some((n) => n.endsWith('.tar.gz'))).toBe(true);
  });

  it('a file where the directory should be fails the run and is left alone', () => {
    const dest = join(root, 'not-a-dir');
    writeFileSync(dest, 'x');
    chmodSync(dest, 0o644);
    const r = run('bash', [scriptFor(dest, 'file.sh')]);
    expect(r.status).not.toBe(0);
    expect(statSync(dest).mode & 0o777).toBe(0o644);
    expect(readFileSync(dest, 'utf8')).toBe('x');
  });
});
