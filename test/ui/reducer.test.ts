import { expect } from 'vitest';
import { Secret } from '../../src/core/secret.js';
import { NEW_KEY } from '../../src/ui/questions/target.js';
import { currentField, exitCode } from '../../src/ui/wizard/reducer.js';
import { answerUntil, ctxWith, fresh, run } from './helpers.js';
import { facts, reducerTable, type Row } from './reducer-kit.js';

/** The wizard reducer as a table while it asks: state × event → state. */
const TABLE: Row[] = [
  ['welcome × start → first question', () => fresh(), { type: 'start' }, (s) => expect([s.phase, s.cursor]).toEqual(['asking', 'target.host'])],
  ['welcome × back → stays', () => fresh(), { type: 'back' }, (s) => expect(s.phase).toBe('welcome')],
  ['welcome × cancel → cancelled (130)', () => fresh(), { type: 'cancel' }, (s) => expect([s.phase, exitCode(s)]).toEqual(['cancelled', 130])],
  [
    'welcome × start, host given → skips it',
    () => fresh({ base: { target: { host: 'vps.example.com' } }, ctx: ctxWith({ provided: new Set(['target', 'target.host']) }) }),
    { type: 'start' },
    (s) => expect(s.cursor).toBe('target.port'),
  ],
  [
    'host × empty → error under the field',
    () => answerUntil(fresh(), 'target.host'),
    { type: 'answer', raw: '' },
    (s) => expect([s.cursor, s.error]).toEqual(['target.host', 'enter the server address, e.g. 203.0.113.10']),
  ],
  [
    'host × bad → schema message',
    () => answerUntil(fresh(), 'target.host'),
    { type: 'answer', raw: 'bad host!' },
    (s) => expect(s.error).toMatch(/host must be an IP address or a host name/),
  ],
  [
    'host × newline → refused',
    () => answerUntil(fresh(), 'target.host'),
    { type: 'answer', raw: 'a\nb' },
    (s) => expect(s.error).toMatch(/printable ASCII|host must/),
  ],
  [
    'host × good → next, history',
    () => answerUntil(fresh(), 'target.host'),
    { type: 'answer', raw: ' 203.0.113.10 ' },
    (s) => {
      expect([s.cursor, s.history, s.values['target.host']]).toEqual(['target.port', ['target.host'], '203.0.113.10']);
    },
  ],
  [
    'host × edit invalid → live error',
    () => answerUntil(fresh(), 'target.host'),
    { type: 'edit', fieldId: 'target.host', text: 'x y' },
    (s) => expect(s.error).toMatch(/host/),
  ],
  [
    'host × edit for another field → ignored',
    () => answerUntil(fresh(), 'target.host'),
    { type: 'edit', fieldId: 'target.port', text: 'x y' },
    (s) => expect(s.error).toBeNull(),
  ],
  [
    'port × 70000 → range error',
    () => answerUntil(fresh(), 'target.port'),
    { type: 'answer', raw: '70000' },
    (s) => expect(s.error).toBe('port must be between 1 and 65535'),
  ],
  [
    'port × "22x" → number error',
    () => answerUntil(fresh(), 'target.port'),
    { type: 'answer', raw: '22x' },
    (s) => expect(s.error).toBe('must be a whole number'),
  ],
  [
    'port × back → host, answer kept',
    () => answerUntil(fresh(), 'target.port'),
    { type: 'back' },
    (s) => expect([s.cursor, currentField(s)?.initial]).toEqual(['target.host', '203.0.113.10']),
  ],
  ['host × back → welcome', () => answerUntil(fresh(), 'target.host'), { type: 'back' }, (s) => expect(s.phase).toBe('welcome')],
  [
    'asking × cancel → cancelled, nothing changed',
    () => answerUntil(fresh(), 'ssh.port'),
    { type: 'cancel' },
    (s) => expect([s.phase, exitCode(s)]).toEqual(['cancelled', 130]),
  ],
  [
    'key × new → asks the path',
    () => answerUntil(fresh(), 'target.identityFile'),
    { type: 'answer', raw: NEW_KEY },
    (s) => expect(s.cursor).toBe('target.newKey'),
  ],
  [
    'new key path × answer → busy keygen',
    () => answerUntil(fresh(), 'target.newKey', { 'target.identityFile': NEW_KEY }),
    { type: 'answer', raw: '~/.ssh/k' },
    (s) => expect([s.busy, s.cursor]).toEqual([{ kind: 'keygen', path: '~/.ssh/k' }, 'target.newKey']),
  ],
  [
    'keygen × done → next screen, draft uses the new key',
    () => run(answerUntil(fresh(), 'target.newKey', { 'target.identityFile': NEW_KEY }), { type: 'answer', raw: '~/.ssh/k' }),
    { type: 'effect-done' },
    (s) => {
      expect([s.busy, s.cursor]).toEqual([null, 'deployUser.name']);
    },
  ],
  [
    'keygen × failed → error on the path',
    () => run(answerUntil(fresh(), 'target.newKey', { 'target.identityFile': NEW_KEY }), { type: 'answer', raw: '~/.ssh/k' }),
    { type: 'effect-failed', message: 'exists' },
    (s) => expect([s.busy, s.cursor, s.error]).toEqual([null, 'target.newKey', 'exists']),
  ],
  [
    'online × leaving target → busy connect',
    () => answerUntil(fresh({ online: true, dryRun: false }), 'target.identityFile'),
    { type: 'answer', raw: '~/.ssh/id_ed25519' },
    (s) => expect(s.busy).toEqual({ kind: 'connect', then: 'deployUser.name' }),
  ],
  [
    'connect × done → facts give defaults',
    () => run(answerUntil(fresh({ online: true, dryRun: false }), 'target.identityFile'), { type: 'answer', raw: '~/.ssh/id_ed25519' }),
    { type: 'effect-done', facts },
    (s) => {
      expect([s.cursor, s.ctx.facts?.operatorIp]).toEqual(['deployUser.name', '198.51.100.7']);
      expect(answerUntil(s, 'operatorIp').values.operatorIp).toBeUndefined();
      expect(currentField(answerUntil(s, 'operatorIp'))?.initial).toBe('198.51.100.7');
    },
  ],
  [
    'connect × failed → back to the address with the message',
    () => run(answerUntil(fresh({ online: true, dryRun: false }), 'target.identityFile'), { type: 'answer', raw: '~/.ssh/id_ed25519' }),
    { type: 'effect-failed', message: 'Connection refused' },
    (s) => {
      expect([s.phase, s.cursor, s.error, s.busy]).toEqual(['asking', 'target.host', 'Connection refused', null]);
    },
  ],
  [
    'connect × failed, target all given → failed (exit 1)',
    () =>
      run(
        fresh({
          online: true,
          dryRun: false,
          base: { target: { host: 'h.example.com', port: 22, user: 'root', identityFile: '~/k' } },
          ctx: ctxWith({ provided: new Set(['target', 'target.host', 'target.port', 'target.user', 'target.identityFile']) }),
        }),
        { type: 'start' },
      ),
    { type: 'effect-failed', message: 'unreachable' },
    (s) => {
      expect([s.phase, s.fatal, exitCode(s)]).toEqual(['failed', 'unreachable', 1]);
    },
  ],
  ['sudo × empty → error', () => answerUntil(fresh(), 'deployUser.sudoPassword'), { type: 'answer', raw: '' }, (s) => expect(s.error).toMatch(/nothing typed/)],
  [
    'sudo × short → error',
    () => answerUntil(fresh(), 'deployUser.sudoPassword'),
    { type: 'answer', raw: 'short' },
    (s) => expect(s.error).toBe('that is shorter than 12 characters'),
  ],
  [
    'sudo × good → held as a Secret only',
    () => answerUntil(fresh(), 'deployUser.sudoPassword'),
    { type: 'answer', raw: 'correct horse battery' },
    (s) => {
      expect(s.values['deployUser.sudoPassword']).toBeInstanceOf(Secret);
      expect(JSON.stringify(s.values)).not.toContain('correct horse');
    },
  ],
  [
    'sudo (typed before) × empty → keeps it',
    () => run(answerUntil(fresh(), 'operatorIp'), { type: 'back' }),
    { type: 'answer', raw: '' },
    (s) => expect(s.cursor).toBe('operatorIp'),
  ],
  [
    'field-error → shown',
    () => answerUntil(fresh(), 'deployUser.sudoPassword'),
    { type: 'field-error', message: 'the two entries differ: type it again' },
    (s) => expect(s.error).toBe('the two entries differ: type it again'),
  ],
  [
    'tailscale × yes → asks the auth key',
    () => answerUntil(fresh(), 'tailscale.enabled'),
    { type: 'answer', raw: true },
    (s) => expect(s.cursor).toBe('tailscale.authKey'),
  ],
  [
    'tailscale key × wrong shape → error',
    () => answerUntil(fresh(), 'tailscale.authKey', { 'tailscale.enabled': true }),
    { type: 'answer', raw: 'not-a-key' },
    (s) => expect(s.error).toMatch(/Tailscale auth key/),
  ],
  [
    'channel × telegram → its token',
    () => answerUntil(fresh(), 'channels.add.0'),
    { type: 'answer', raw: 'telegram' },
    (s) => expect(s.cursor).toBe('channels.0.telegram.botToken'),
  ],
  [
    'allowlist × empty → needs an ID',
    () =>
      answerUntil(fresh(), 'channels.0.telegram.allowFrom', {
        'channels.add.0': 'telegram',
        'channels.0.telegram.botToken': '123456:AAAAAAAAAAAAAAAAAAAAAAAA',
      }),
    { type: 'answer', raw: '' },
    (s) => expect(s.error).toMatch(/at least one ID/),
  ],
  [
    'allowlist × @name → schema says why',
    () =>
      answerUntil(fresh(), 'channels.0.telegram.allowFrom', {
        'channels.add.0': 'telegram',
        'channels.0.telegram.botToken': '123456:AAAAAAAAAAAAAAAAAAAAAAAA',
      }),
    { type: 'answer', raw: '123456789, @bob' },
    (s) => expect(s.error).toMatch(/item 2 \(@bob\).*not a @username/),
  ],
  [
    'last question × answer → review with validated answers',
    () => answerUntil(fresh(), 'monitoring.discord'),
    { type: 'answer', raw: false },
    (s) => {
      expect(s.phase).toBe('review');
      expect(s.answers?.target.host).toBe('203.0.113.10');
      expect(s.answers?.deployUser.sudoPassword).toEqual({ env: 'CLAW_SUDO_PASSWORD' });
    },
  ],
  [
    'cross-field rule → back to the field with the message',
    () => answerUntil(fresh(), 'access.mode'),
    { type: 'answer', raw: 'tailscale-serve' },
    (s) => {
      const end = answerUntil(s, null, { 'access.tailnetDomain': 'tail1234.ts.net' });
      expect([end.phase, end.cursor, end.error]).toEqual(['asking', 'access.mode', 'tailscale-serve needs tailscale.enabled: true']);
    },
  ],
];

reducerTable('wizard reducer, asking (state × event → state)', TABLE);
