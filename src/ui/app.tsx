import { useApp, useInput } from 'ink';
import { useEffect, useLayoutEffect, useMemo, useReducer, useRef } from 'react';
import type { WizardDeps } from './deps.js';
import { keyToEvent, typesLine } from './keymap.js';
import type { BuiltPlan } from './plan-build.js';
import { Screen } from './screen.js';
import { frameLines } from './views/frame.js';
import { TypeAheadContext, useTypeAheadSource } from './views/line-input.js';
import { useWizardEffects } from './use-wizard-effects.js';
import { planRows } from './views/plan-lines.js';
import { maxScroll } from './views/plan-view.js';
import { useNow, useTerminalSize } from './views/use-terminal-size.js';
import type { WizardState } from './wizard/reducer.js';
import { wizardReducer } from './wizard/home-reducer.js';
import { TypeAhead } from './wizard/type-ahead.js';

export interface WizardOutcome {
  state: WizardState;
  built: BuiltPlan | null;
}

export interface AppProps {
  init: WizardState;
  deps: WizardDeps;
  onExit: (o: WizardOutcome) => void;
}

const FINAL = new Set(['done', 'failed', 'cancelled', 'handoff']);

/**
 * The root: the reducer, its effects, the one root key handler (Esc, Ctrl-C,
 * plan scrolling), and the router that hands raw input to the line inputs.
 */
export function App({ init, deps, onExit }: AppProps) {
  const [s, dispatch] = useReducer(wizardReducer, init);
  const rt = useWizardEffects(s, dispatch, deps);
  const { columns, rows } = useTerminalSize();
  const now = useNow(s.phase === 'applying' ? 250 : null, deps.now);
  const { exit } = useApp();
  const width = Math.max(40, columns);
  const planRowsList = useMemo(() => (rt.built ? planRows(rt.built.text, width) : []), [rt.built, width]);
  const page = Math.max(3, rows - 5);

  const typeAhead = useRef<TypeAhead | null>(null);
  typeAhead.current ??= new TypeAhead();
  useTypeAheadSource(typeAhead.current);
  // Children's layout effects (a line input taking focus) run first; this drops what no line input will take.
  useLayoutEffect(() => {
    if (!typesLine(s)) typeAhead.current!.drop();
  });

  useInput((input, key) => {
    const e = keyToEvent(s, input, key, { planMax: maxScroll(planRowsList.length, rows - frameLines(rows < 30)), page });
    if (e) dispatch(e);
  });

  useEffect(() => {
    if (!FINAL.has(s.phase)) return;
    let live = true;
    rt.close().finally(() => {
      if (!live) return;
      onExit({ state: s, built: rt.built });
      exit();
    });
    return () => {
      live = false;
    };
  }, [s.phase]);

  return (
    <TypeAheadContext.Provider value={typeAhead.current}>
      <Screen s={s} dispatch={dispatch} rt={rt} rows={planRowsList} width={width} height={rows} now={FINAL.has(s.phase) ? deps.now() : now} />
    </TypeAheadContext.Provider>
  );
}
