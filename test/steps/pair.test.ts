import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/core/errors.js';
import { approvedSender, describeRequest, pairingApproveArgv, pairingListArgv, parsePairCode, parsePairingList } from '../../steps/pair.js';

const paths = { composeDir: '/home/deploy/openclaw', compose: '/home/deploy/openclaw/docker-compose.yml' as const };
// The shape `openclaw pairing list telegram --json` prints (2026.9.6: writeJson({ channel, requests })).
const listed = (requests: unknown[]) => JSON.stringify({ channel: 'telegram', requests }, null, 2);
const req = (over: Record<string, unknown> = {}) => ({
  id: '424242',
  code: 'K7QW2MXA',
  createdAt: '2026-12-07T21:00:00.000Z',
  lastSeenAt: '2026-12-07T21:00:00.000Z',
  meta: { username: 'alice', firstName: 'Alice', accountId: 'default' },
  ...over,
});

describe('pairing codes', () => {
  it("takes OpenClaw's 8-character codes, any case, and refuses everything else before a command exists", () => {
    expect(parsePairCode(' k7qw2mxa ')).toBe('K7QW2MXA');
    for (const bad of ['K7QW2MX', 'K7QW2MXAB', 'K7QW2MX0', 'K7QW2MXI', "K7QW2M'A", 'K7QW;rm -rf /', '$(id)xxx', 'K7QW2MX\n'])
      expect(() => parsePairCode(bad)).toThrow(UserError);
  });

  it('runs OpenClaw in the gateway container, the code one argv word', () => {
    expect(pairingListArgv(paths, 'telegram')).toEqual([
      ...['docker', 'compose', '--project-directory', paths.composeDir, '-f', paths.compose],
      ...['exec', '-T', 'openclaw-gateway', 'node', 'dist/index.js', 'pairing', 'list', 'telegram', '--json'],
    ]);
    expect(pairingApproveArgv(paths, 'slack', 'k7qw2mxa').slice(-4)).toEqual(['pairing', 'approve', 'slack', 'K7QW2MXA']);
    expect(() => pairingApproveArgv(paths, 'slack', 'K7QW2MXA; id')).toThrow(UserError);
  });

  it("reads the sender from approve's own words, colours or not, and nothing of another shape", () => {
    expect(approvedSender('Approved telegram sender 424242.\nCommand owner configured telegram:424242', 'telegram')).toBe('424242');
    expect(approvedSender('\x1b[32mApproved\x1b[39m \x1b[2mtelegram\x1b[22m sender \x1b[36m424242\x1b[39m.', 'telegram')).toBe('424242');
    expect(approvedSender('Approved discord sender 424242.', 'telegram')).toBeNull();
    expect(approvedSender('Approved telegram sender 4;rm.', 'telegram')).toBeNull();
  });
});

describe('the pending list, read strictly', () => {
  it('reads code, sender, time and a display name; a log line before the JSON (braces and all) is skipped', () => {
    const l = parsePairingList(`[plugins] loaded {"count":3}\n${listed([req()])}`, 'telegram');
    expect(l).toEqual({ requests: [{ code: 'K7QW2MXA', id: '424242', createdAt: '2026-12-07T21:00:00.000Z', who: '@alice Alice' }], dropped: 0 });
    expect(describeRequest(l.requests[0], new Date('2026-12-07T21:05:00Z'))).toBe('K7QW2MXA  424242 (@alice Alice)  5 min ago');
  });

  it('drops entries not in the shape OpenClaw writes, and strips what a name could carry to a terminal', () => {
    const l = parsePairingList(
      listed([
        req({ code: 'k7qw2mxa' }),
        req({ id: 'x'.repeat(65) }),
        req({ id: '1; rm' }),
        req({ createdAt: 'yesterday' }),
        req({ code: 'ABCDEFGH', meta: { username: 'evil\u001b]52;c;cm0gLXJm\u0007', firstName: 'A\u202eB' } }),
      ]),
      'telegram',
    );
    expect(l.dropped).toBe(4);
    expect(l.requests).toHaveLength(1);
    expect(l.requests[0].who).toBe('@evil52ccm0gLXJm AB');
  });

  it('refuses output that is no list of this channel', () => {
    expect(() => parsePairingList('No pending telegram pairing requests.', 'telegram')).toThrow(/no list/);
    expect(() => parsePairingList(JSON.stringify({ channel: 'discord', requests: [] }), 'telegram')).toThrow(/no list/);
    expect(() => parsePairingList(JSON.stringify({ channel: 'telegram', requests: {} }), 'telegram')).toThrow(/no list/);
  });
});
