import { describe, expect, it } from 'vitest';
import { needTool, run } from '../tool-runner.js';
import { renderedFixture } from './rendered-fixture.js';

const { filesOf, writeTemp } = renderedFixture('shellcheck');

describe('scripts: shellcheck', () => {
  it.for(filesOf('script'))('%s', ([rel, , f], ctx) => {
    const shellcheck = needTool(ctx, 'shellcheck', 'shellcheck');
    const path = writeTemp(`scripts/${rel}`, f.text);
    const r = run(shellcheck, ['--severity=style', '--format=gcc', path]);
    expect(r.stdout + r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(f.text.startsWith('#!/')).toBe(true);
  });
});
