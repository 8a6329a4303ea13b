import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { needTool } from './tool-runner.js';
import { cachedRun, runAsync, toolFingerprint, type ToolRun } from './validator-cache.js';

// The real validators of test/export.test.ts, each run through the validator cache.

/** The name a checked file has in a cache key (its directory is a fresh temp dir every run). */
const name0 = 'FILE';

/**
 * cloud-init's own schema check of `name` in `dir`: the `cloud-init` command, or Debian's package unpacked
 * (dpkg-deb -x) where installing it would enable its services. Cached by the file's text and
 * cloud-init's version (test/validator-cache.ts says why that is safe).
 */
export function cloudInitSchema(ctx: { skip: (n?: string) => never }): (dir: string, name: string) => Promise<ToolRun> {
  const unpacked = process.env.CLAW_CLOUD_INIT_ROOT ?? '/opt/claw-cloud-init';
  const pyPath = join(unpacked, 'usr/lib/python3/dist-packages');
  const key = (dir: string, name: string, tools: string[]) => ({
    tools,
    argv: ['schema', '--config-file', name0],
    inputs: { [name0]: readFileSync(join(dir, name), 'utf8') },
  });
  if (existsSync(join(pyPath, 'cloudinit'))) {
    // Debian's python3, whose site-packages hold cloud-init's dependencies (python3-yaml, -jsonschema, -configobj, -requests, ...).
    const tools = [toolFingerprint('/usr/bin/python3', join(pyPath, 'cloudinit/version.py'))];
    return (dir, name) =>
      cachedRun(key(dir, name, tools), () =>
        runAsync('/usr/bin/python3', ['-m', 'cloudinit.cmd.main', 'schema', '--config-file', name], { env: { ...process.env, PYTHONPATH: pyPath }, cwd: dir }),
      );
  }
  const bin = needTool(ctx, 'cloud-init', 'cloud-init (or unpack it: apt-get download cloud-init && dpkg-deb -x cloud-init_*.deb /opt/claw-cloud-init)');
  const tools = [toolFingerprint(bin)];
  return (dir, name) => cachedRun(key(dir, name, tools), () => runAsync(bin, ['schema', '--config-file', name], { cwd: dir }));
}

/** shellcheck of `name` in `dir`, run there so its messages name the file alike every run; cached like the rest. */
export async function shellcheckIn(bin: string, dir: string, name: string): Promise<ToolRun> {
  const args = ['-S', 'warning', name];
  return cachedRun({ tools: [toolFingerprint(bin)], argv: ['shellcheck', ...args], inputs: { [name]: readFileSync(join(dir, name), 'utf8') } }, () =>
    runAsync(bin, args, { cwd: dir }),
  );
}

/** ANSIBLE_* settings change what Ansible reports, so they are part of its cache key. */
export const ansibleEnv = () =>
  Object.fromEntries(Object.entries(process.env).filter(([k, v]) => k.startsWith('ANSIBLE_') && v !== undefined)) as Record<string, string>;
