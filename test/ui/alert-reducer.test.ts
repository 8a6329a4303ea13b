import { describe, expect, it } from 'vitest';
import { alertHelp, alertTargets } from '../../src/rollout/alert-test.js';
import { alertSettled, exitCode, type WizardEvent, type WizardState } from '../../src/ui/wizard/reducer.js';
import { TOPIC } from './alert-fakes.js';
import { answerUntil, fresh, run } from './helpers.js';

// The test alert's states in the reducer (pure): when it is offered, what each answer and result leads to.

function applied(o: { dryRun: boolean; online: boolean; topic?: string | null; stopBefore?: string }): WizardState {
  const review = answerUntil(fresh({ dryRun: o.dryRun, online: false }), null, { 'monitoring.ntfyTopic': o.topic === undefined ? TOPIC : (o.topic ?? '') });
  expect(review.phase).toBe('review');
  const s = { ...review, online: o.online, answers: o.stopBefore ? { ...review.answers!, stopBefore: o.stopBefore as 'monitoring' } : review.answers };
  return run(s, { type: 'apply-start', steps: [], at: 0 }, { type: 'finished', result: { status: 'done', report: [] } });
}

const sent: Extract<WizardEvent, { type: 'alert-sent' }> = {
  type: 'alert-sent',
  results: { ntfy: 'ok', discord: 'none' },
  lines: ['ntfy     delivered: check that it arrived'],
  code: 0,
};

describe('the test alert (reducer)', () => {
  it('is offered after a real apply with a target; not without one, not when the plan stopped before monitoring, not after a failure', () => {
    expect(applied({ dryRun: false, online: true }).alert).toMatchObject({ stage: 'offer', targets: ['ntfy'] });
    expect(applied({ dryRun: false, online: true, topic: null }).alert).toBeNull();
    expect(applied({ dryRun: false, online: true, stopBefore: 'monitoring' }).alert).toBeNull();
    expect(applied({ dryRun: true, online: false }).alert).toMatchObject({ stage: 'dry-run' });
    const review = answerUntil(fresh({ dryRun: false, online: false }), null, { 'monitoring.ntfyTopic': TOPIC });
    const failed = run({ ...review, online: true }, { type: 'apply-start', steps: [], at: 0 }, { type: 'finished', result: { status: 'failed', report: [] } });
    expect(failed.alert).toBeNull();
  });

  it('yes → sending → sent → "did it arrive?" → arrived / missing; the wizard ends only when settled, still exit 0', () => {
    const s = applied({ dryRun: false, online: true });
    expect(alertSettled(s.alert)).toBe(false);
    const sending = run(s, { type: 'alert', yes: true });
    expect(sending.alert?.stage).toBe('sending');
    expect(run(sending, { type: 'alert', yes: true }).alert?.stage).toBe('sending'); // no answer while sending
    expect(run(sending, { type: 'cancel' }).alert?.stage).toBe('sending');
    const ask = run(sending, sent);
    expect(ask.alert).toMatchObject({ stage: 'ask', lines: sent.lines, results: sent.results });
    expect(run(ask, { type: 'alert', yes: true }).alert?.stage).toBe('arrived');
    const missing = run(ask, { type: 'alert', yes: false });
    expect(missing.alert?.stage).toBe('missing');
    expect(alertSettled(missing.alert)).toBe(true);
    expect(missing.phase).toBe('done');
    expect(exitCode(missing)).toBe(0);
    expect(JSON.stringify(missing.alert)).not.toContain(TOPIC);
  });

  it('no → skipped; Ctrl-C skips the offer and, at "did it arrive?", shows the help', () => {
    const s = applied({ dryRun: false, online: true });
    expect(run(s, { type: 'alert', yes: false }).alert?.stage).toBe('skipped');
    expect(run(s, { type: 'cancel' })).toMatchObject({ phase: 'done', alert: { stage: 'skipped' } });
    const ask = run(s, { type: 'alert', yes: true }, sent);
    expect(run(ask, { type: 'cancel' })).toMatchObject({ phase: 'done', alert: { stage: 'missing' } });
  });

  it('nothing delivered, nothing configured on the server, or the send failed: straight to the help', () => {
    const sending = run(applied({ dryRun: false, online: true }), { type: 'alert', yes: true });
    expect(run(sending, { ...sent, results: { ntfy: 'failed', discord: 'none' }, code: 2 }).alert?.stage).toBe('missing');
    expect(run(sending, { ...sent, results: { ntfy: 'none', discord: 'none' }, code: null }).alert).toMatchObject({
      stage: 'missing',
      error: 'no alert target is configured on the server',
    });
    expect(run(sending, { type: 'alert-failed', message: 'ssh: connection closed' }).alert).toMatchObject({
      stage: 'missing',
      error: 'ssh: connection closed',
    });
  });

  it('the help names where to look, never the ntfy topic nor the Discord webhook', () => {
    const a = applied({ dryRun: false, online: true }).answers!;
    const both = { ...a, monitoring: { ...a.monitoring, discordWebhook: { env: 'CLAW_DISCORD_WEBHOOK' } } };
    expect(alertTargets(both)).toEqual(['ntfy', 'discord']);
    expect(alertTargets({ ...both, monitoring: { ...both.monitoring, enabled: false } })).toEqual([]);
    const help = alertHelp(both, { ntfy: 'failed', discord: 'failed' }).join('\n');
    expect(help).toContain('your ntfy topic on https://ntfy.sh');
    expect(help).toContain('the server could not post to https://ntfy.sh');
    expect(help).toMatch(/Discord: look in the channel your webhook posts to/);
    expect(help).toMatch(/Discord: the server could not post to the webhook/);
    expect(help).toContain('claw-setup alert-test');
    expect(help).not.toContain(TOPIC);
    expect(help).not.toMatch(/CLAW_DISCORD_WEBHOOK|discord\.com\/api/);
  });
});
