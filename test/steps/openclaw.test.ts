// steps/openclaw.ts: the guard for sshd comes first, then the container's account and private
// directories, .env, compose and openclaw.json, OpenClaw's own validator, the gateway (re)created
// only on change, and /healthz. The container's room itself: test/steps/room.test.ts.
import { describe, expect, it } from 'vitest';
import type { AnswersInput } from '../../src/answers/schema.js';
import type { GateAction, RunAction, WriteAction } from '../../src/plan/action.js';
import { CONTAINER_UID, composeArgv } from '../../steps/openclaw.js';
import { answersWith as answers, planFor, stepOf as step } from '../helpers.js';

describe('openclaw step', () => {
  const s = step(planFor(answers()).plan, 'openclaw')!;
  const titles = s.actions.map((a) => a.title);
  const at = (start: string) => titles.findIndex((t) => t.startsWith(start));

  it('writes .env, compose and openclaw.json mode 600: .env and compose for the deploy user, openclaw.json for the container', () => {
    const writes = s.actions.filter((a): a is WriteAction => a.kind === 'write' && !a.path.endsWith('claw-setup-guard.conf'));
    expect(writes.map((w) => [w.path, w.mode, w.owner])).toEqual([
      ['/home/deploy/openclaw/.env', 0o600, 'deploy'],
      ['/home/deploy/openclaw/docker-compose.yml', 0o600, 'deploy'],
      ['/home/deploy/openclaw/config/openclaw.json', 0o600, CONTAINER_UID],
    ]);
  });

  it('validates the config with OpenClaw before the gateway is (re)created, and gates on /healthz last', () => {
    const validate = s.actions[at('OpenClaw accepts the config')] as GateAction;
    expect(validate.check).toMatchObject({ type: 'remote', onlyAfterChange: true });
    expect(at('pull ')).toBeLessThan(at('OpenClaw accepts the config'));
    expect(at('OpenClaw accepts the config')).toBeLessThan(at('(re)create the gateway'));
    const recreate = s.actions[at('(re)create the gateway')] as RunAction;
    expect(recreate.when).toBe('changed');
    expect(recreate.argv).toEqual(
      composeArgv(
        { paths: { composeDir: '/home/deploy/openclaw', compose: '/home/deploy/openclaw/docker-compose.yml' } },
        'up',
        '-d',
        '--force-recreate',
        '--remove-orphans',
      ),
    );
    expect(s.actions.at(-1)).toMatchObject({ kind: 'gate', check: { type: 'remote', argv: expect.arrayContaining(['http://127.0.0.1:18789/healthz']) } });
  });

  it('pulls the image only when it is not there yet', () => {
    const pull = s.actions[at('pull ')] as RunAction;
    expect(pull.skipIf?.slice(0, 3)).toEqual(['docker', 'image', 'inspect']);
  });
});

describe('the agents model and tool policy', () => {
  const cfg = (extra: AnswersInput) =>
    JSON.parse(
      planFor(answers(extra))
        .plan.steps.flatMap((s) => s.actions)
        .flatMap((a) => (a.kind === 'write' && a.path.endsWith('openclaw.json') ? [String(a.content[0])] : []))[0],
    );

  it('follows the providers given: the first one is primary, the others fall back', () => {
    const one = cfg({ openclaw: { providers: { anthropic: { env: 'ANTHROPIC_API_KEY' } } } });
    expect(one.agents.defaults.model).toEqual({ primary: 'anthropic/claude-opus-5' });
    const two = cfg({ openclaw: { providers: { google: { env: 'GEMINI_API_KEY' }, openai: { env: 'OPENAI_API_KEY' } } } });
    expect(two.agents.defaults.model).toEqual({ primary: 'openai/gpt-6-astra', fallbacks: ['google/gemini-3.1-pro-preview'] });
    const chosen = cfg({ openclaw: { model: 'google/gemini-3.1-flash-lite', providers: { google: { env: 'GEMINI_API_KEY' } } } });
    // a chosen model falls back to its provider's default
    expect(chosen.agents.defaults.model).toEqual({ primary: 'google/gemini-3.1-flash-lite', fallbacks: ['google/gemini-3.1-pro-preview'] });
  });

  it('refuses a model whose provider has no key', () => {
    expect(() => answers({ openclaw: { model: 'openai/gpt-6-astra', providers: { anthropic: { env: 'ANTHROPIC_API_KEY' } } } })).toThrow(
      /model openai\/gpt-6-astra needs the openai provider's key/,
    );
  });

  it("defaults to OpenClaw's hardened baseline: messaging profile, automation, runtime, fs, nodes and UI denied", () => {
    const c = cfg({});
    expect(c.tools.profile).toBe('messaging');
    expect(c.tools.deny).toEqual(['group:automation', 'group:runtime', 'group:fs', 'group:nodes', 'group:ui', 'sessions_spawn', 'sessions_send']);
    expect(c.tools.exec).toEqual({ security: 'deny', ask: 'always' });
  });
});
