import type { WizardArgs } from './wizard-args.js';
import { UserError } from '../core/errors.js';
import type { Io } from '../core/io.js';
import { eventPrinter } from '../rollout/event-lines.js';
import { nextSteps } from '../rollout/session.js';
import { nextStepLine } from '../plan/action.js';
import { alertHelp, targetNames } from '../rollout/alert-test.js';
import type { WizardDeps } from './deps.js';
import { initialState } from './init.js';
import { askField } from './plain/ask-field.js';
import { askDrift } from './plain/drift-prompt.js';
import { inquirerPrompts, isPromptExit, type Prompts } from './plain/prompts.js';
import type { BuiltPlan } from './plan-build.js';
import { dryRunOutro, dryRunReport } from './plan-file.js';
import { realDeps } from './real-deps.js';
import { describe, Session } from './wizard-session.js';
import { planSteps } from './wizard/apply-state.js';
import { currentField, exitCode, fieldsOf, reducer, type WizardEvent, type WizardState } from './wizard/reducer.js';
import { spoken } from './wizard/parse-field.js';
import { screenTitle } from './wizard/types.js';
import { describeRef, secretState } from './wizard/walk.js';

const CANCELLED = 'Cancelled. Nothing was changed.';

/**
 * `--plain`: the same questions, reducer and plan as the wizard, asked as
 * line prompts (@inquirer/prompts; Ink is never mounted). No going back:
 * Ctrl-C cancels. Returns the exit code.
 */
export async function runPlain(args: WizardArgs, io: Io, prompts: Prompts = inquirerPrompts(), deps: WizardDeps = realDeps(args, io.env)): Promise<number> {
  if (!io.isTTY)
    throw new UserError('no terminal to ask questions in', 'pass --answers FILE --yes (secrets through environment variables or files), or --dry-run');
  const say = (l: string) => io.stdout(`${l}\n`);
  const session = new Session(deps);
  let s = initialState({ args, env: io.env, online: Boolean(deps.connect) });
  const go = (e: WizardEvent) => (s = reducer(s, e));
  try {
    go({ type: 'start' });
    s = await questions(s, go, prompts, session, say);
    if (s.phase === 'review') s = await review(s, go, prompts, session, say, io);
  } catch (e) {
    if (!isPromptExit(e)) throw e;
    s = reducer(s, { type: 'cancel' });
    if (s.phase === 'applying') s = reducer(s, { type: 'cancel' });
  } finally {
    await session.close();
  }
  if (s.phase === 'cancelled') say(CANCELLED);
  if (s.fatal) io.stderr(`error: ${s.fatal}\n`);
  return exitCode(s);
}

type Go = (e: WizardEvent) => WizardState;

async function questions(s0: WizardState, go: Go, p: Prompts, session: Session, say: (l: string) => void): Promise<WizardState> {
  let s = s0;
  let screen = '';
  while (s.phase === 'asking') {
    if (s.busy) {
      const busy = s.busy;
      say(busy.kind === 'keygen' ? `  creating ${busy.path} with ssh-keygen…` : '  connecting and looking at the server (read-only)…');
      try {
        const facts =
          busy.kind === 'keygen'
            ? (await session.keygen(busy.path), undefined)
            : await session.probe(s, (fp) => p.confirm({ message: `Host key:\n${fp}\nTrust it and remember it?`, default: false }));
        s = go({ type: 'effect-done', facts });
      } catch (e) {
        if (isPromptExit(e)) throw e;
        s = go({ type: 'effect-failed', message: describe(e) });
      }
      continue;
    }
    const f = currentField(s)!;
    if (f.screen !== screen) {
      screen = f.screen;
      say(`\n== ${screenTitle(f.screen)} ==`);
      for (const g of fieldsOf(s).filter((x) => x.screen === screen && x.given)) say(`  ${g.label}: ${g.given} (given)`);
    }
    if (s.error) say(`  ✗ ${spoken(s.error)}`);
    s = go({ type: 'answer', raw: await askField(p, f, s.values[f.id] !== undefined, say) });
  }
  return s;
}

function printReview(s: WizardState, b: BuiltPlan, say: (l: string) => void): void {
  say(`\n== Review${s.dryRun ? ' (dry run: nothing will change)' : ': nothing has changed yet'} ==`);
  for (const st of b.plan.steps) {
    say(`  ${st.title}: ${st.summary[0] ?? ''}`);
    for (const more of st.summary.slice(1)) say(`      ${more}`);
  }
  for (const f of fieldsOf(s).filter((x) => x.kind === 'secret'))
    say(`  ${f.label}: ${f.given ?? (s.values[f.id] !== undefined ? secretState(s.values[f.id]) : describeRef(f.secret!.ref))}`);
}

async function review(s0: WizardState, go: Go, p: Prompts, session: Session, say: (l: string) => void, io: Io): Promise<WizardState> {
  const s = s0;
  let b: BuiltPlan;
  try {
    b = await session.plan(s);
    // Keys changed on the server by hand: keep (planned again with the server's values) or revert.
    const kept = await askDrift(b, p, say);
    if (kept === 'cancel') return go({ type: 'cancel' });
    if (kept) b = await session.plan({ ...s, answers: kept });
  } catch (e) {
    if (isPromptExit(e)) throw e;
    say(`✗ ${describe(e)}`);
    return go({ type: 'cancel' });
  }
  if (s.review.error) say(`✗ ${s.review.error}`);
  printReview(s, b, say);
  for (;;) {
    const choices = [
      ...(s.review.error ? [] : [{ name: s.dryRun ? 'apply (dry run: simulated, nothing changes)' : `apply this plan to ${b.host}`, value: 'apply' }]),
      { name: 'print the full plan', value: 'view-plan' },
      { name: 'save answers to a file (secrets stay references)', value: 'save-answers' },
      { name: 'save the plan as a bash script', value: 'save-plan' },
      { name: 'quit (nothing is changed)', value: 'quit' },
    ];
    const a = await p.select({ message: 'What now?', choices });
    if (a === 'quit') return go({ type: 'cancel' });
    if (a === 'view-plan') io.stdout(b.text);
    if (a === 'save-answers' || a === 'save-plan') {
      const what = a === 'save-answers' ? 'answers' : 'plan';
      const path = await p.input({ message: `Save the ${what} to`, default: what === 'answers' ? './claw-answers.json5' : './claw-plan.sh' });
      try {
        say(`  ✓ ${session.save(what, path, s, b)}`);
      } catch (e) {
        say(`  ✗ ${describe(e)}`);
      }
    }
    if (a === 'apply') return apply(s, go, b, session, say, io, p);
  }
}

async function apply(s0: WizardState, go: Go, b: BuiltPlan, session: Session, say: (l: string) => void, io: Io, p: Prompts): Promise<WizardState> {
  let s = s0;
  try {
    session.check(s, b);
  } catch (e) {
    say(`✗ ${describe(e)}`);
    return go({ type: 'cancel' });
  }
  s = go({ type: 'apply-start', steps: planSteps(b.plan), at: Date.now() });
  const ac = new AbortController();
  const onSigint = () => ac.abort();
  process.once('SIGINT', onSigint);
  const print = eventPrinter();
  try {
    const { result } = await session.apply(
      s,
      b,
      (e) => {
        const line = print(e);
        if (line !== null) say(line);
      },
      ac.signal,
      (fp) => p.confirm({ message: `Host key:\n${fp}\nTrust it and remember it?`, default: false }),
    );
    for (const l of s.dryRun ? dryRunReport(result.report) : result.report) say(l);
    if (s.dryRun && result.status !== 'done') say('Nothing was changed: a dry run only simulates the server.');
    s = go({ type: 'finished', result });
  } catch (e) {
    s = go({ type: 'finished', result: { status: 'failed', report: [describe(e)] } });
    say(`✗ ${describe(e)}`);
  } finally {
    process.removeListener('SIGINT', onSigint);
  }
  if (s.phase === 'done') {
    for (const n of nextSteps(b)) say(`  - ${nextStepLine(n)}`);
    s = await alertTest(s, go, session, say, p);
    // Last: where the plan is and what to do next (the plan itself would bury the outro).
    if (s.dryRun) dryRunOutro(b.text, io);
  }
  return s;
}

/** After the apply: offers a test alert through every configured target, sends it over the open connection, asks whether it arrived. */
async function alertTest(s0: WizardState, go: Go, session: Session, say: (l: string) => void, p: Prompts): Promise<WizardState> {
  let s = s0;
  const alert = s.alert;
  if (!alert || !s.answers) return s;
  const names = targetNames(alert.targets);
  if (alert.stage === 'dry-run') {
    say(`  - would send a test alert through ${names} now and ask whether it arrived (a dry run sends nothing)`);
    return s;
  }
  try {
    say('\n== Test alert ==');
    s = go({ type: 'alert', yes: await p.confirm({ message: `Send a test alert now through ${names}?`, default: true }) });
    if (s.alert?.stage === 'sending') {
      say(`  sending a test alert from the server through ${names}…`);
      try {
        const o = await session.alertTest(s);
        s = go({ type: 'alert-sent', results: o.results, lines: o.lines, code: o.code });
      } catch (e) {
        s = go({ type: 'alert-failed', message: describe(e) });
      }
      for (const l of s.alert?.lines ?? []) say(`  ${l}`);
      if (s.alert?.error) say(`  ✗ ${s.alert.error}`);
    }
    if (s.alert?.stage === 'ask') s = go({ type: 'alert', yes: await p.confirm({ message: 'Did it arrive?', default: false }) });
  } catch (e) {
    if (!isPromptExit(e)) throw e;
    s = go({ type: 'cancel' });
  }
  const end = s.alert?.stage;
  if (end === 'skipped') say('  No test alert sent. Send one any time: claw-setup alert-test');
  if (end === 'arrived') say('  ✓ Alerts from this server reach you. Send another any time: claw-setup alert-test');
  if (end === 'missing') {
    say('  ✗ The test alert did not reach you. What to check:');
    for (const l of alertHelp(s.answers!, s.alert!.results)) say(`    - ${l}`);
  }
  return s;
}
