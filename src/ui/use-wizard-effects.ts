import { useEffect, useLayoutEffect, useRef, useState, type Dispatch } from 'react';
import { ApplyPause } from './apply-pause.js';
import type { WizardDeps } from './deps.js';
import type { BuiltPlan } from './plan-build.js';
import { describe, Session } from './wizard-session.js';
import { planSteps } from './wizard/apply-state.js';
import { alertSettled, type WizardEvent, type WizardState } from './wizard/reducer.js';

export interface Runtime {
  built: BuiltPlan | null;
  /** Calls the dry-run executor recorded. */
  recorded: number | null;
  answerHostKey: (ok: boolean) => void;
  startApply: () => void;
  save: (what: 'answers' | 'plan', path: string) => void;
  /** Answers the open test-alert question (send now? / did it arrive?). */
  answerAlert: (yes: boolean) => void;
  /** Closes the connection, once the test alert after the apply (if any) is settled: it is sent over that connection. */
  close: () => Promise<void>;
}

/**
 * Runs the session's work when the reducer asks for it (busy, review,
 * abort) and reports back with events; nothing here decides what is shown.
 */
export function useWizardEffects(s: WizardState, dispatch: Dispatch<WizardEvent>, deps: WizardDeps): Runtime {
  // Every run (dry or real) holds between actions while "Stop applying?" is open.
  const pause = useRef(new ApplyPause()).current;
  const sessionRef = useRef<Session | null>(null);
  sessionRef.current ??= new Session(deps);
  const session = sessionRef.current;
  const hostKey = useRef<((ok: boolean) => void) | null>(null);
  const controller = useRef<AbortController | null>(null);
  const [built, setBuilt] = useState<BuiltPlan | null>(null);
  const [recorded, setRecorded] = useState<number | null>(null);
  const latest = useRef(s);
  latest.current = s;
  const alertWaiters = useRef<(() => void)[]>([]);

  const confirmHostKey = (text: string) =>
    new Promise<boolean>((resolve) => {
      hostKey.current = resolve;
      dispatch({ type: 'host-key', text });
    });

  useEffect(() => {
    const busy = s.busy;
    if (!busy) return;
    let live = true;
    const fail = (e: unknown) => live && dispatch({ type: 'effect-failed', message: describe(e) });
    if (busy.kind === 'keygen') session.keygen(busy.path).then(() => live && dispatch({ type: 'effect-done' }), fail);
    else
      session
        .probe(s, confirmHostKey)
        // The first connection of a run that may open on the home screen also reads the deployment.
        .then(async (facts) => ({ facts, home: s.home && !s.home.checked ? await session.home(s) : undefined }))
        .then((r) => live && dispatch({ type: 'effect-done', ...r }), fail);
    return () => {
      live = false;
    };
  }, [s.busy]);

  useEffect(() => {
    setBuilt(null);
    if (!s.answers) return;
    let live = true;
    session.plan(s).then(
      (b) => live && setBuilt(b),
      (e) => live && dispatch({ type: 'plan-error', message: describe(e) }),
    );
    return () => {
      live = false;
    };
  }, [s.answers]);

  // In the commit itself, so the runner cannot start one more action after the question shows.
  // Abort first, then lift the hold: the runner wakes to a cancelled signal and stops.
  useLayoutEffect(() => {
    if (s.abort === 'requested') controller.current?.abort();
    pause.set(s.abort === 'confirming');
  }, [s.abort]);
  useEffect(() => () => pause.set(false), []);

  // The test alert after the apply: sent when the operator says yes; close() waits until it is settled.
  useEffect(() => {
    if (alertSettled(s.alert)) {
      for (const w of alertWaiters.current.splice(0)) w();
      return;
    }
    if (s.alert?.stage !== 'sending') return;
    session.alertTest(s).then(
      (o) => dispatch({ type: 'alert-sent', results: o.results, lines: o.lines, code: o.code }),
      (e) => dispatch({ type: 'alert-failed', message: describe(e) }),
    );
  }, [s.alert?.stage]);

  const startApply = () => {
    if (!built || !s.answers) return;
    try {
      session.check(s, built);
    } catch (e) {
      dispatch({ type: 'plan-error', message: describe(e) });
      return;
    }
    const ac = new AbortController();
    controller.current = ac;
    dispatch({ type: 'apply-start', steps: planSteps(built.plan), at: deps.now() });
    session
      .apply(s, built, (event) => dispatch({ type: 'rollout', event, at: deps.now() }), ac.signal, confirmHostKey, pause.wait)
      .then(
        ({ result, recorded: n }) => {
          setRecorded(n);
          dispatch({ type: 'finished', result });
        },
        (e) => dispatch({ type: 'finished', result: { status: 'failed', report: [describe(e), 'Nothing after the failure ran.'] } }),
      );
  };

  return {
    built,
    recorded,
    startApply,
    save: (what, path) => {
      try {
        dispatch({ type: 'saved', message: session.save(what, path, s, built) });
      } catch (e) {
        dispatch({ type: 'save-failed', message: describe(e) });
      }
    },
    answerHostKey: (ok) => {
      const r = hostKey.current;
      hostKey.current = null;
      dispatch({ type: 'host-key', text: null });
      r?.(ok);
    },
    answerAlert: (yes) => dispatch({ type: 'alert', yes }),
    close: async () => {
      if (!alertSettled(latest.current.alert)) await new Promise<void>((resolve) => alertWaiters.current.push(resolve));
      await session.close();
    },
  };
}
