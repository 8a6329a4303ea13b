// steps/health-wait.ts: the wait for a healthy gateway that the openclaw step, every day-2 change and
// the report after a rollback share, run here with stand-ins for curl and docker on PATH.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { answersSchema } from '../../src/answers/schema.js';
import { waitHealthyArgv } from '../../steps/health-wait.js';
import { run, tempDir } from '../tool-runner.js';

const tmp = tempDir('health-wait');
afterAll(() => tmp.cleanup());
const a = answersSchema.parse({ openclaw: { providers: { anthropic: { env: 'ANTHROPIC_API_KEY' } } } });

describe('waitHealthyArgv', () => {
  const bin = join(tmp.dir, 'health-bin');
  mkdirSync(bin, { recursive: true });
  const stub = (name: string, body: string) => writeFileSync(join(bin, name), `#!/bin/sh\n${body}\n`, { mode: 0o755 });
  const wait = () => {
    const argv = waitHealthyArgv(a, 2);
    return run(argv[0], argv.slice(1), { env: { ...process.env, PATH: `${bin}:${process.env.PATH}` } });
  };

  it('passes as soon as /healthz answers', () => {
    stub('curl', 'exit 0');
    stub('docker', 'echo 0');
    expect(wait().status).toBe(0);
  });

  it('fails at once, with its last lines, when the gateway keeps exiting', () => {
    stub('curl', 'exit 7');
    stub('docker', '[ "$1" = inspect ] && echo 3; [ "$1" = logs ] && echo "Error: bad config"; exit 0');
    const r = wait();
    expect(r.status).toBe(1);
    expect(r.stderr).toBe('Error: bad config\nthe gateway keeps exiting (restarted 3 times; its last lines above)\n');
  });

  it('gives up once its seconds are over while nothing answers', () => {
    stub('curl', 'exit 7');
    stub('docker', 'echo 0');
    const started = Date.now();
    expect(wait().status).toBe(1);
    // two seconds asked for: it neither returns at once nor polls far past them
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    expect(Date.now() - started).toBeLessThan(20_000);
  });
});
