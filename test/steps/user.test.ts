// steps/user.ts: the deploy user with its own group, sudo with a password (on stdin only), and the
// operator's keys in a private ~/.ssh; every action skipped when it is already so.
import { describe, expect, it } from 'vitest';
import { revealText } from '../../src/core/secret.js';
import type { RunAction, WriteAction } from '../../src/plan/action.js';
import { actionLines, answersWith, planFor, stepOf, TEST_KEY } from '../helpers.js';

describe('user step', () => {
  const s = stepOf(planFor(answersWith()).plan, 'user')!;

  it('creates the user, adds it to sudo, sets the password, makes ~/.ssh, then writes the keys', () => {
    expect(actionLines(s.actions)).toEqual([
      'useradd --create-home --user-group --shell /bin/bash deploy',
      'usermod -aG sudo deploy',
      'chpasswd',
      'install -d -m 0700 -o deploy -g deploy /home/deploy/.ssh',
      'write /home/deploy/.ssh/authorized_keys',
    ]);
    expect(s.actions.slice(0, 4).every((a) => (a as RunAction).skipIf !== undefined)).toBe(true);
  });

  it('the sudo password travels on stdin only', () => {
    const pw = s.actions[2] as RunAction;
    expect(revealText(pw.stdin!)).toBe('deploy:SENTINEL_SUDO_PASSWORD_7f3a9c\n');
    expect(JSON.stringify(s.actions.map((a) => (a.kind === 'run' ? a.argv : [])))).not.toContain('SENTINEL');
  });

  it('writes one key per line, mode 600, owned by the user', () => {
    const keys = s.actions[4] as WriteAction;
    expect([revealText(keys.content), keys.mode, keys.owner, keys.group]).toEqual([`${TEST_KEY}\n`, 0o600, 'deploy', 'deploy']);
  });
});
