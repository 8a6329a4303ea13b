// steps/login-gate.ts: before anything is tightened, one gate: a fresh key login as the deploy user
// on the port we came in on, then sudo.
import { describe, expect, it } from 'vitest';
import { assumedFacts } from '../../src/plan/facts.js';
import { answersWith, planFor, stepOf } from '../helpers.js';

describe('login-gate step', () => {
  it('is one fresh-login gate, with sudo, over the public address', () => {
    const s = stepOf(planFor(answersWith({ deployUser: { name: 'ops' } })).plan, 'login-gate')!;
    expect(s.actions).toHaveLength(1);
    expect(s.actions[0]).toMatchObject({ kind: 'gate', check: { type: 'fresh-login', user: 'ops', port: 22, via: 'public', sudo: true } });
  });

  it('uses the port sshd listens on now, not the one the answers move it to', () => {
    const fresh = stepOf(planFor(answersWith({ ssh: { port: 2222 } }), assumedFacts('debian-13', 'root', '198.51.100.7')).plan, 'login-gate')!;
    expect(fresh.actions[0]).toMatchObject({ check: { port: 22 } });
  });
});
