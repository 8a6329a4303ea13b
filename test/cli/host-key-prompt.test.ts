// Day-2 commands in a terminal ask about an unknown host key as the wizard does (issue 21 item 7);
// with --yes or without a terminal they do not ask, and the key must be known or come with --known-hosts.
import { describe, expect, it } from 'vitest';
import { parseCli } from '../../src/cli/args.js';
import { askHostKey, linkOptions, loginAfterSetup } from '../../src/cli/connect.js';
import type { Io } from '../../src/core/io.js';
import type { Prompts } from '../../src/ui/plain/prompts.js';
import { fixture } from '../helpers.js';

const FP = '256 SHA256:Xk3nPq7y0VwQ1b2c3d4e5f6g7h8i9j0kLmNoPqRsTuV 203.0.113.10 (ED25519)';

function io(isTTY: boolean, env: NodeJS.ProcessEnv = {}) {
  const err: string[] = [];
  const value: Io = { stdout: () => undefined, stderr: (s) => err.push(s), env, isTTY };
  return { io: value, err };
}

function prompts(answer: boolean | Error, asked: string[] = []): Prompts {
  const no = () => Promise.reject(new Error('not asked here'));
  return {
    input: no,
    password: no,
    select: no,
    checkbox: no,
    confirm: async (o) => {
      asked.push(`${o.message} default=${o.default}`);
      if (answer instanceof Error) throw answer;
      return answer;
    },
  };
}

describe('day-2 commands: the host key question', () => {
  const answers = fixture('full');

  it('in a terminal without --yes: asked, never refused outright', () => {
    const o = linkOptions(parseCli(['status']), io(true).io, answers, true, prompts(true));
    expect(o.yes).toBe(false);
  });

  it('--yes, or no terminal: not asked (the key must be known, or --known-hosts records it)', () => {
    expect(linkOptions(parseCli(['status', '--yes']), io(true).io, answers).yes).toBe(true);
    expect(linkOptions(parseCli(['status']), io(false).io, answers).yes).toBe(true);
  });

  it('shows the SHA256 fingerprint and where to compare it, defaults to no, and says yes only when told', async () => {
    const t = io(true);
    const asked: string[] = [];
    expect(await askHostKey(t.io, prompts(true, asked))(FP)).toBe(true);
    expect(t.err.join('')).toBe(
      `First connection to this server. Its host key fingerprint:\n  ${FP}\n` +
        'Compare it with the one your provider shows (web console: ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub).\n',
    );
    expect(asked).toEqual(['Trust it and remember it? default=false']);
    expect(await askHostKey(t.io, prompts(false))(FP)).toBe(false);
  });

  it('Ctrl-C at the question is a no; the server cannot slip escape sequences into it', async () => {
    const exit = Object.assign(new Error('User force closed the prompt'), { name: 'ExitPromptError' });
    const t = io(true);
    expect(await askHostKey(t.io, prompts(exit))(`${FP}\n\u001b]52;c;ZXZpbA==\u0007`)).toBe(false);
    expect(t.err.join('')).not.toContain('\u001b');
    await expect(askHostKey(t.io, prompts(new Error('boom')))(FP)).rejects.toThrow('boom');
  });

  it('the memo of the login that worked is kept in the state directory of the environment given', () => {
    expect(linkOptions(parseCli(['status']), io(false, { XDG_STATE_HOME: '/st' }).io, answers).loginMemo).toBe('/st/claw-setup/logins.json');
  });
});

describe('after a finished setup the deploy user is the login (remembered, so the next command is not refused as root first)', () => {
  const a = { ...fixture('full'), stopBefore: null };
  const setup = parseCli(['setup', '--yes']);

  it('a setup that ran the ssh step: the deploy user on ssh.port', () => {
    expect(loginAfterSetup(setup, a)).toEqual({ user: a.deployUser.name, port: a.ssh.port });
    expect(loginAfterSetup(setup, { ...a, stopBefore: 'docker' })).toEqual({ user: a.deployUser.name, port: a.ssh.port });
  });

  it('not when it stopped before the ssh step, was a dry run or read-only, or was another command', () => {
    expect(loginAfterSetup(setup, { ...a, stopBefore: 'ssh' })).toBeNull();
    expect(loginAfterSetup(setup, { ...a, stopBefore: 'firewall' })).toBeNull();
    expect(loginAfterSetup(parseCli(['setup', '--dry-run']), a)).toBeNull();
    expect(loginAfterSetup(setup, a, true)).toBeNull();
    expect(loginAfterSetup(parseCli(['status']), a)).toBeNull();
  });
});
