// The wizard on a deployed server (issue 21): the summary and menu after the first connection,
// Keep (the journal's answers straight to Review), Modify (a section's questions with the
// journal's values), Review's "back" with every answer given, and a menu action handed off.
import { describe, expect, it } from 'vitest';
import { initHome, type HomeInfo } from '../../src/ui/home/home-state.js';
import { providedPaths } from '../../src/ui/init.js';
import { wizardReducer, sectionsOf, type AnyEvent } from '../../src/ui/wizard/home-reducer.js';
import { currentField, reducer, type WizardState } from '../../src/ui/wizard/reducer.js';
import { base } from '../day2-fixtures.js';
import { answerUntil, ctxWith, fresh } from './helpers.js';
import { facts } from './reducer-kit.js';

const journal = JSON.parse(JSON.stringify({ ...base, fail2ban: { ...base.fail2ban, banTime: '2h' } })) as Record<string, unknown>;
const info: HomeInfo = {
  journalAnswers: journal,
  envKeys: ['OPENCLAW_GATEWAY_TOKEN', 'ANTHROPIC_API_KEY', 'TELEGRAM_BOT_TOKEN', 'TZ'],
  lines: ['gateway   up 2h, healthy', 'channels  telegram'],
  version: base.openclaw.version,
  channels: ['telegram'],
};
const go = (s: WizardState, ...events: AnyEvent[]) => events.reduce(wizardReducer, s);
// The sudo password comes from the operator's environment, as for any rerun; the server's .env is not asked.
const sudoOnly = ctxWith({ available: (ref) => 'env' in ref && ref.env === 'CLAW_SUDO_PASSWORD' });

/** Online, with the home on: the target typed, connecting. */
function connecting(): WizardState {
  const s = answerUntil(fresh({ online: true, dryRun: false, home: initHome(), ctx: sudoOnly }), null);
  expect(s.busy).toEqual({ kind: 'connect', then: expect.anything() });
  return s;
}
const atHome = () => go(connecting(), { type: 'effect-done', facts, home: info });

describe('home: the deployed server', () => {
  it('the first connection that finds a journal opens on the summary and menu', () => {
    const s = atHome();
    expect(s.phase).toBe('home');
    expect(s.home).toEqual({ info, checked: true, chosen: null });
  });

  it('no journal: the questions go on as for a first setup, and no later connection looks again', () => {
    const s = go(connecting(), { type: 'effect-done', facts, home: null });
    expect(s.phase).toBe('asking');
    expect(s.home?.checked).toBe(true);
  });

  it('Keep: the journal answers straight to Review, the target as typed, no second connection', () => {
    const s = go(atHome(), { type: 'menu', action: 'keep' });
    expect(s.phase).toBe('review');
    expect(s.busy).toBeNull();
    expect(s.answers?.fail2ban.banTime).toBe('2h');
    expect(s.answers?.openclaw.channels.map((c) => c.type)).toEqual(['telegram']);
    expect(s.answers?.target.host).toBe('203.0.113.10');
  });

  it('Modify: pick a section; its questions start from the journal values; the rest stays', () => {
    let s = go(atHome(), { type: 'menu', action: 'modify' });
    expect(s.phase).toBe('sections');
    expect(sectionsOf(s).map((x) => x.id)).toContain('fail2ban');
    s = go(s, { type: 'section', screen: 'fail2ban' });
    expect(s.phase).toBe('asking');
    expect(currentField(s)?.screen).toBe('fail2ban');
    const ban = answerUntil(s, 'fail2ban.banTime');
    expect(currentField(ban)?.initial).toBe('2h');
    const done = go(ban, { type: 'answer', raw: '1d' });
    expect(done.phase).toBe('review');
    expect(done.answers?.fail2ban.banTime).toBe('1d');
    expect(done.answers?.openclaw.channels.map((c) => c.type)).toEqual(['telegram']);
  });

  it('Esc on the section picker of Modify goes back to the menu', () => {
    expect(go(atHome(), { type: 'menu', action: 'modify' }, { type: 'back' }).phase).toBe('home');
  });

  it('a menu action ends the wizard with it (cli/home.ts runs the command)', () => {
    const s = go(atHome(), { type: 'menu', action: 'add-channel' });
    expect(s.phase).toBe('handoff');
    expect(s.home?.chosen).toBe('add-channel');
    expect(go(s, { type: 'back' }).phase).toBe('handoff');
  });
});

describe("Review's back when every answer was given (an answers file, or Keep)", () => {
  const complete = (): WizardState => {
    const provided = providedPaths(journal);
    const s = reducer(fresh({ base: journal, ctx: ctxWith({ provided, available: () => true }) }), { type: 'start' });
    expect(s.phase).toBe('review');
    return s;
  };

  it('goes to the section picker, not to Welcome and straight back to Review', () => {
    const s = reducer(complete(), { type: 'review', action: 'back' });
    expect(s.phase).toBe('sections');
  });

  it('a section picked there asks its questions, then Review again with the change', () => {
    let s = go(complete(), { type: 'review', action: 'back' }, { type: 'section', screen: 'fail2ban' });
    expect(currentField(s)?.id).toBe('fail2ban.enabled');
    s = answerUntil(s, 'fail2ban.banTime');
    s = go(s, { type: 'answer', raw: '3h' });
    expect(s.phase).toBe('review');
    expect(s.answers?.fail2ban.banTime).toBe('3h');
    // Back from this Review goes to the question just answered.
    expect(go(s, { type: 'review', action: 'back' })).toMatchObject({ phase: 'asking', cursor: 'fail2ban.banTime' });
  });

  it('Esc on that picker goes back to Review unchanged', () => {
    const s = go(complete(), { type: 'review', action: 'back' }, { type: 'back' });
    expect(s.phase).toBe('review');
    expect(s.answers?.fail2ban.banTime).toBe('2h');
  });
});
