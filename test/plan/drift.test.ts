import { describe, expect, it } from 'vitest';
import { driftLine, findDrift, leafPaths } from '../../src/plan/drift.js';

const ours = {
  gateway: { auth: { rateLimit: { maxAttempts: 10, windowMs: 60000 } }, terminal: { enabled: false } },
  tools: { deny: ['exec', 'process'] },
  channels: { telegram: { enabled: true, allowFrom: ['1'] } },
};
const keys = leafPaths(ours);
const text = (x: unknown) => `${JSON.stringify(x, null, 2)}\n`;
const clone = <T>(x: T): T => JSON.parse(JSON.stringify(x)) as T;

describe('findDrift: keys claw-setup sets that hold another value on the server', () => {
  it('lists the leaves, arrays whole', () => {
    expect(keys).toContainEqual(['gateway', 'auth', 'rateLimit', 'maxAttempts']);
    expect(keys).toContainEqual(['tools', 'deny']);
    expect(keys).not.toContainEqual(['tools', 'deny', '0']);
  });

  it('a hand edit of a key claw-setup sets is drift, with both values and the line the plan prints', () => {
    const server = clone(ours);
    server.gateway.auth.rateLimit.maxAttempts = 8;
    const d = findDrift(text(server), text(ours), keys);
    expect(d).toEqual([{ path: ['gateway', 'auth', 'rateLimit', 'maxAttempts'], server: 8, ours: 10 }]);
    expect(driftLine(d[0])).toBe('drift: gateway.auth.rateLimit.maxAttempts: on the server 8, from your answers 10');
  });

  it('the same config is no drift, whatever the key order or formatting (JSON5 on the server)', () => {
    const json5 = `{ tools: { deny: ['exec', 'process'] }, channels: { telegram: { allowFrom: ['1'], enabled: true } },
      gateway: { terminal: { enabled: false }, auth: { rateLimit: { windowMs: 60000, maxAttempts: 10 } } } }`;
    expect(findDrift(json5, text(ours), keys)).toEqual([]);
  });

  it('a key claw-setup does not set is no drift (the merge keeps it); a key the server lacks is an addition, not drift', () => {
    const server: Record<string, unknown> = { ...clone(ours), meta: { lastTouchedVersion: 'x' } };
    delete (server.tools as Record<string, unknown>).deny;
    const rendered = { ...clone(ours), meta: { lastTouchedVersion: 'x' } };
    expect(findDrift(text(server), text(rendered), keys)).toEqual([]);
  });

  it('a key the run drops from a section replaced whole is drift; a list changed by hand is one drift', () => {
    const server = clone(ours) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    server.channels.telegram.streaming = 'off';
    server.tools.deny = ['exec'];
    const d = findDrift(text(server), text(ours), keys);
    expect(d.map(driftLine)).toEqual([
      'drift: tools.deny: on the server ["exec"], from your answers ["exec","process"]',
      'drift: channels.telegram.streaming: on the server "off", from your answers (not set)',
    ]);
  });

  it('never prints a credential typed in by hand, nor anything a terminal would act on; odd keys are quoted', () => {
    const server = clone(ours) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    server.channels.telegram.botToken = '123:SECRET-value';
    server.channels.telegram['a.b\u001b[2J'] = 'x\u001b]0;pwn\u0007';
    const lines = findDrift(text(server), text(ours), keys).map(driftLine);
    expect(lines[0]).toBe('drift: channels.telegram.botToken: on the server (a value, not shown), from your answers (not set)');
    expect(lines.join('\n')).not.toContain('SECRET');
    expect(lines.join('\n')).not.toMatch(/\u001b|\u0007/);
    expect(lines[1]).toContain('channels.telegram["a.b');
  });

  it('with what claw-setup last wrote: a changed answer is no drift, a hand edit still is', () => {
    const answersNow = clone(ours);
    answersNow.tools.deny = ['exec'];
    const server = clone(ours);
    server.gateway.auth.rateLimit.maxAttempts = 8;
    const d = findDrift(text(server), text(answersNow), leafPaths(answersNow), text(ours));
    expect(d.map(driftLine)).toEqual(['drift: gateway.auth.rateLimit.maxAttempts: on the server 8, from your answers 10']);
    // Without it, the changed answer looks like drift too.
    expect(findDrift(text(server), text(answersNow), leafPaths(answersNow))).toHaveLength(2);
  });

  it('an unreadable server file gives no drift (nothing to compare with)', () => {
    expect(findDrift('{ not json', text(ours), keys)).toEqual([]);
    expect(findDrift('[]', text(ours), keys)).toEqual([]);
  });
});
