// Issue 21 item 7, the wizard's smaller frictions, each seen in a terminal: a dry-run Stopped
// screen that spoke of the server, the ntfy topic typed in clear, lines cut with "…" at 80
// columns, the key name operatorIp, Esc on Welcome, an early Enter, and the tailnet login hint.
import type { Key } from 'ink';
import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import { Secret } from '../../src/core/secret.js';
import { nextSteps } from '../../src/rollout/session.js';
import { keyToEvent } from '../../src/ui/keymap.js';
import { FailedView } from '../../src/ui/views/failed-view.js';
import type { ApplyStep } from '../../src/ui/wizard/apply-state.js';
import { QuestionScreen } from '../../src/ui/views/question-screen.js';
import { Review, reviewLines } from '../../src/ui/views/review.js';
import { wrappedRows } from '../../src/ui/views/theme.js';
import { currentField, fieldsOf, reducer } from '../../src/ui/wizard/reducer.js';
import type { Field } from '../../src/ui/wizard/types.js';
import { fixture, planFor } from '../helpers.js';
import { answerUntil, ctxWith, fresh } from './helpers.js';

/** One question screen, 100×16, with nothing wired to its callbacks. */
const questionScreen = (fields: Field[], cursor: string, values: Record<string, null>) =>
  render(
    <QuestionScreen
      fields={fields}
      cursor={cursor}
      values={values}
      error={null}
      visit={0}
      height={16}
      width={100}
      onEdit={() => {}}
      onAnswer={() => {}}
      onError={() => {}}
    />,
  );

const noKey = { return: false, escape: false, ctrl: false } as Key;

describe('Welcome keys', () => {
  const welcome = fresh();
  const k = { planMax: 0, page: 10 };
  it('Esc on Welcome cancels (there is nothing to go back to)', () => {
    expect(keyToEvent(welcome, '', { ...noKey, escape: true }, k)).toEqual({ type: 'cancel' });
    expect(keyToEvent(answerUntil(fresh(), 'target.port'), '', { ...noKey, escape: true }, k)).toEqual({ type: 'back' });
  });
  it('an Enter typed before raw mode (the tty made it "\\n") starts, like a raw Enter', () => {
    expect(keyToEvent(welcome, '\n', noKey, k)).toEqual({ type: 'start' });
    expect(keyToEvent(welcome, '', { ...noKey, return: true }, k)).toEqual({ type: 'start' });
  });
});

describe('the dry-run Stopped screen', () => {
  const steps: ApplyStep[] = [
    { id: 'preflight', title: 'Preflight checks', status: 'done', actions: 1, finished: 1 },
    { id: 'firewall', title: 'Firewall', status: 'failed', actions: 1, finished: 0 },
    { id: 'ssh', title: 'SSH', status: 'pending', actions: 1, finished: 0 },
  ];
  it('says nothing changed and never that steps are "in place"', () => {
    const report = ['Cancelled before the next step.', 'State now: these steps are in place: preflight; nothing after them ran.'];
    const f = render(<FailedView fatal={null} cancelled steps={steps} report={report} reverted={[]} dryRun />).lastFrame()!;
    expect(f).toContain('Cancelled before the next step.');
    expect(f).toContain('Stopped at your request during firewall (dry run).');
    expect(f).toContain('Nothing was changed: a dry run only simulates the server');
    expect(f).toContain('simulated: preflight');
    expect(f).not.toMatch(/in place|Server state now|Reverted/);
  });
  it('a real run still reports the server state', () => {
    const f = render(<FailedView fatal={null} cancelled steps={steps} report={[]} reverted={[]} />).lastFrame()!;
    expect(f).toContain('in place: preflight');
  });
});

describe('the ntfy topic is a masked field', () => {
  const at = (dryRun = false) => answerUntil(fresh({ dryRun, ctx: ctxWith({ dryRun }) }), 'monitoring.ntfyTopic', { 'monitoring.enabled': true });
  it('is asked as a secret; a typed topic is kept as a Secret and the answers hold only its reference', () => {
    const s0 = at();
    expect(currentField(s0)!.kind).toBe('secret');
    expect(reducer(s0, { type: 'answer', raw: 'bad topic!' }).error).toMatch(/letters, digits/);
    const s = answerUntil(reducer(s0, { type: 'answer', raw: 'claw-alerts-7f3k2q9' }), null);
    expect(s.values['monitoring.ntfyTopic']).toBeInstanceOf(Secret);
    expect(s.answers!.monitoring.ntfyTopic).toEqual({ env: 'NTFY_TOPIC' });
    expect(JSON.stringify(s.answers)).not.toContain('claw-alerts-7f3k2q9');
  });
  it('Enter alone means no topic (also in a dry run, where it is not a stand-in secret)', () => {
    for (const dry of [false, true]) {
      const s = answerUntil(reducer(at(dry), { type: 'answer', raw: '' }), null);
      expect(s.phase).toBe('review');
      expect(s.answers!.monitoring.ntfyTopic).toBeNull();
    }
  });
  it('on screen it is masked, and after "none" it offers none again, not a hidden value', async () => {
    const field = currentField(at())!;
    const screen = (values: Record<string, null>) => questionScreen([field], field.id, values);
    const r = screen({});
    expect(r.lastFrame()).toContain('(Enter for none)');
    r.stdin.write('claw-topic-S3NT1NEL');
    await new Promise((ok) => setTimeout(ok, 50));
    expect(r.lastFrame()).toContain('*'.repeat(19));
    expect(r.lastFrame()).not.toContain('S3NT1NEL');
    r.unmount();
    const none = screen({ [field.id]: null }).lastFrame()!;
    expect(none).toContain('(Enter for none)');
    expect(none).not.toContain('set (hidden)');
  });

  it('an inline topic from an answers file stays as given, never asked', () => {
    const base = { monitoring: { enabled: true, ntfyTopic: 'claw-inline-topic' } };
    const s = fresh({ base, ctx: ctxWith({ provided: new Set(['monitoring', 'monitoring.enabled', 'monitoring.ntfyTopic']) }) });
    const f = fieldsOf(s).find((x) => x.id === 'monitoring.ntfyTopic')!;
    expect(f.given).toBe('set (hidden, written in the answers file)');
  });
});

describe('no key names in the wizard', () => {
  it('an operator address error says "your IP address", not operatorIp', () => {
    const s = reducer(answerUntil(fresh(), 'operatorIp'), { type: 'answer', raw: '10.0.0.0/4' });
    expect(s.error).toMatch(/^your IP address /);
    expect(s.error).not.toContain('operatorIp');
  });
});

describe('long lines wrap instead of being cut', () => {
  it('wrappedRows counts rows as a word wrap does', () => {
    expect(wrappedRows('short', 80)).toBe(1);
    expect(wrappedRows('a'.repeat(80), 80)).toBe(1);
    expect(wrappedRows(`${'word '.repeat(20)}end`, 20)).toBe(6);
    expect(wrappedRows('x'.repeat(45), 20)).toBe(3);
  });

  const long = 'with no provider key the gateway starts but cannot answer a message (add a provider to fix); said in full at 80 columns';
  it('a long given line (the model warning) is shown whole', () => {
    const fields = [
      { id: 'a', screen: 'openclaw' as const, label: 'Model', kind: 'text' as const, path: null, initial: null, given: long },
      { id: 'b', screen: 'openclaw' as const, label: 'Tool profile', kind: 'text' as const, path: null, initial: null },
    ];
    const f = questionScreen(fields, 'b', {}).lastFrame()!;
    expect(f.replace(/\s+/g, ' ')).toContain(long);
    expect(f).not.toContain('…');
  });

  it('the review wraps its step lines and fits them in the rows it has', () => {
    const steps = Array.from({ length: 8 }, (_, i) => ({ id: `s${i}`, title: `Step ${i}`, summary: [`${long} ${i}`, 'second line'] }));
    const lines = reviewLines(steps, 10, 80);
    expect(lines.at(-1)!.text).toMatch(/^… \d+ more steps/);
    expect(lines.reduce((n, l) => n + wrappedRows(l.head ? `· ${l.text}` : l.text, 80), 0)).toBeLessThanOrEqual(10);
    const f = render(
      <Review
        steps={steps.slice(0, 2)}
        secrets={['SUDO_PASSWORD set (hidden)']}
        host="h"
        notice={null}
        error={null}
        dryRun
        height={20}
        width={100}
        onAction={() => {}}
      />,
    ).lastFrame()!;
    expect(f.replace(/\s+/g, ' ')).toContain(`${long} 1`);
    expect(f).not.toMatch(/…$/m);
  });
});

describe('the login hint with SSH only over Tailscale', () => {
  it('names the tailnet name, not the public address, for login, tunnel and token', () => {
    const next = nextSteps(planFor(fixture('tailscale-only-ssh')));
    const login = next.find((n) => n.kind === 'login')!;
    expect(login.command).toBe('ssh -p 2222 claw@openclaw-vps.tail1234.ts.net');
    expect(next.find((n) => n.kind === 'token')!.command).toContain('claw@openclaw-vps.tail1234.ts.net');
    expect(JSON.stringify(next)).not.toContain('203.0.113.10');
  });
  it('names the public address when SSH stays public', () => {
    const login = nextSteps(planFor(fixture('minimal'))).find((n) => n.kind === 'login')!;
    expect(login.command).toMatch(/@203\.0\.113\.10$/);
  });
});
