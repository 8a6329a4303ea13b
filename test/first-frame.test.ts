import { describe, expect, it } from 'vitest';
import { withoutFetchProbe } from '../src/ui/run-wizard.js';

/** The first frame: Ink's layout engine asks `typeof fetch`; in Node 20 that alone loads Node's HTTP client. */
describe('withoutFetchProbe', () => {
  it('hides fetch while loading, then puts back the very same property (its getter never called)', async () => {
    const before = Object.getOwnPropertyDescriptor(globalThis, 'fetch');
    const seen = await withoutFetchProbe(async () => typeof (globalThis as { fetch?: unknown }).fetch);
    expect(seen).toBe('undefined');
    expect(Object.getOwnPropertyDescriptor(globalThis, 'fetch')).toEqual(before);
    expect(typeof fetch).toBe('function');
  });

  it('puts it back when loading fails', async () => {
    const before = Object.getOwnPropertyDescriptor(globalThis, 'fetch');
    await expect(withoutFetchProbe(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(Object.getOwnPropertyDescriptor(globalThis, 'fetch')).toEqual(before);
  });
});
