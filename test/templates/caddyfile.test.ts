import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { needTool, run } from '../tool-runner.js';
import { renderedFixture } from './rendered-fixture.js';

const { tmp, filesOf, writeTemp } = renderedFixture('caddyfile');

describe('Caddyfile: caddy validate', () => {
  it.for(filesOf('caddyfile'))('%s', ([rel, , f], ctx) => {
    const caddy = needTool(ctx, 'caddy', 'caddy');
    const path = writeTemp(`caddy/${rel}`, f.text);
    // Keep caddy's storage and autosave in the temp dir.
    const env = { ...process.env, HOME: tmp.dir, XDG_DATA_HOME: join(tmp.dir, 'xdg-data'), XDG_CONFIG_HOME: join(tmp.dir, 'xdg-config') };
    const r = run(caddy, ['validate', '--adapter', 'caddyfile', '--config', path], { env });
    expect(r.status, r.stderr).toBe(0);
    const fmt = run(caddy, ['fmt', path], { env });
    expect(fmt.stdout, 'the Caddyfile is in caddy fmt form').toBe(f.text);
  });
});
