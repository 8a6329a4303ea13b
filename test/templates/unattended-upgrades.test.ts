import { describe, expect, it } from 'vitest';
import { thirdPartyOrigins } from '../../templates/unattended-upgrades.js';
import { loadAnswers } from '../template-variants.js';

describe('unattended upgrades', () => {
  it('adds only the origins of repositories in use', () => {
    expect(thirdPartyOrigins(loadAnswers('minimal'))).toEqual(['origin=Docker,label=Docker CE']);
    expect(thirdPartyOrigins(loadAnswers('full'))).toEqual(['origin=Docker,label=Docker CE', 'origin=Tailscale,label=Tailscale']);
    expect(thirdPartyOrigins(loadAnswers('caddy'))).toContain('origin=cloudsmith/caddy/stable');
  });
});
