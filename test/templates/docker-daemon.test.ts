import { describe, expect, it } from 'vitest';
import { renderedFixture } from './rendered-fixture.js';

const { filesOf } = renderedFixture('docker-daemon');

describe('daemon.json and env files parse back', () => {
  it.each(filesOf('json'))('%s', (_rel, _v, f) => {
    expect(JSON.parse(f.text)).toEqual({
      'log-driver': 'json-file',
      'log-opts': { 'max-size': '10m', 'max-file': '3' },
      'live-restore': true,
      'no-new-privileges': true,
      icc: false,
    });
  });
});
