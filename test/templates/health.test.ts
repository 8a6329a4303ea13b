import { describe, expect, it } from 'vitest';
import { systemdTimeSpan } from '../../templates/health.js';

describe('systemd time spans', () => {
  it.each([
    ['5m', '5min'],
    ['1h', '1h'],
    ['10s', '10s'],
    ['2d', '2d'],
    ['1w', '1w'],
  ])('%s -> %s', (d, span) => expect(systemdTimeSpan(d)).toBe(span));
  it('rejects other shapes', () => expect(() => systemdTimeSpan('5M')).toThrow());
});
