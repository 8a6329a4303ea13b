import { chmodSync, mkdirSync, readdirSync, renameSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDir } from './tool-runner.js';
import { cachedRun, cacheKey, dirInputs, runAsync, toolFingerprint, type CacheKey } from './validator-cache.js';

// The validator cache may only answer a run it has seen byte for byte: these drive it with a real
// validator (bash -n) in a private cache dir and count the real runs.

const tmp = tempDir('validator-cache');
afterAll(() => tmp.cleanup());

describe('validator cache', () => {
  const bash = '/bin/bash';
  let realRuns = 0;
  const cacheDir = join(tmp.dir, 'cache');
  /** `bash -n` of `text`, through the cache; counts the runs that really happened. */
  const check = (text: string, tools = [toolFingerprint(bash)]) => {
    const key: CacheKey = { tools, argv: ['bash', '-n', 'FILE'], inputs: { FILE: text } };
    return cachedRun(
      key,
      async () => {
        realRuns++;
        const f = join(tmp.dir, `s-${realRuns}.sh`);
        writeFileSync(f, text);
        return runAsync(bash, ['-n', f]);
      },
      cacheDir,
    );
  };

  it('a second run of the same text is answered from the cache with the same verdict; a changed text misses and is judged for real', async () => {
    const good = 'echo hello\n';
    const first = await check(good);
    expect(first).toMatchObject({ code: 0, cached: false });
    expect(await check(good)).toEqual({ ...first, cached: true });
    expect(realRuns).toBe(1);

    // One character changed: a miss, and the real verdict (a syntax error) comes back.
    const broken = await check('echo hello (\n');
    expect(broken.cached).toBe(false);
    expect(broken.code).toBe(2);
    expect(broken.stderr).toMatch(/syntax error/);
    expect(realRuns).toBe(2);
    expect(await check('echo hello (\n')).toMatchObject({ code: 2, cached: true });
    expect(readdirSync(cacheDir).filter((f) => f.endsWith('.json'))).toHaveLength(2);
  });

  it('a new validator version misses too', async () => {
    const before = realRuns;
    const text = 'true\n';
    expect((await check(text)).cached).toBe(false);
    expect((await check(text)).cached).toBe(true);
    // An upgraded tool is a rewritten file: a stand-in executable, fingerprinted before and after.
    const tool = join(tmp.dir, 'fake-tool');
    writeFileSync(tool, '#!/bin/sh\n', { mode: 0o755 });
    const v1 = toolFingerprint(tool);
    expect((await check(text, [toolFingerprint(bash), v1])).cached).toBe(false);
    expect((await check(text, [toolFingerprint(bash), v1])).cached).toBe(true);
    writeFileSync(join(tmp.dir, 'fake-tool.new'), '#!/bin/sh\n# 2.0\n', { mode: 0o755 });
    renameSync(join(tmp.dir, 'fake-tool.new'), tool);
    utimesSync(tool, new Date(), new Date(Date.now() + 5000));
    const v2 = toolFingerprint(`${tool}`, tool); // a new memo entry, as a new test process would compute it
    expect(v2).not.toBe(v1);
    expect((await check(text, [toolFingerprint(bash), v2])).cached).toBe(false);
    expect(realRuns - before).toBe(3);
  });

  it('the key covers the command, every input file name, text and mode, and the env', () => {
    const base: CacheKey = { tools: ['t'], argv: ['a', 'b'], inputs: { x: '1', y: '2' }, env: { E: '1' } };
    const k = cacheKey(base);
    expect(cacheKey({ ...base, inputs: { y: '2', x: '1' } })).toBe(k); // order of listing does not matter
    for (const other of [
      { ...base, argv: ['a', 'c'] },
      { ...base, argv: ['ab'] },
      { ...base, inputs: { x: '1', y: '3' } },
      { ...base, inputs: { x: '12', y: '' } },
      { ...base, inputs: { x: '1', z: '2' } },
      { ...base, env: { E: '2' } },
      { ...base, env: {} },
      { ...base, tools: ['u'] },
    ])
      expect(cacheKey(other), JSON.stringify(other)).not.toBe(k);
    // A whole project's inputs: every file under it, by relative name, with its mode.
    const d = join(tmp.dir, 'proj');
    mkdirSync(join(d, 'tasks'), { recursive: true });
    writeFileSync(join(d, 'site.yml'), 'x: 1\n');
    writeFileSync(join(d, 'tasks/a.yml'), 'y: 2\n');
    chmodSync(join(d, 'site.yml'), 0o644);
    chmodSync(join(d, 'tasks/a.yml'), 0o644);
    expect(dirInputs(d)).toEqual({ 'site.yml': '644\nx: 1\n', 'tasks/a.yml': '644\ny: 2\n' });
    chmodSync(join(d, 'tasks/a.yml'), 0o600);
    expect(dirInputs(d)['tasks/a.yml']).toBe('600\ny: 2\n');
  });

  it('CLAW_VALIDATOR_CACHE=0 always runs for real', async () => {
    const before = realRuns;
    process.env.CLAW_VALIDATOR_CACHE = '0';
    try {
      expect((await check('echo hello\n')).cached).toBe(false);
    } finally {
      delete process.env.CLAW_VALIDATOR_CACHE;
    }
    expect(realRuns - before).toBe(1);
  });
});
