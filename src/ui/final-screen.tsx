import { Box, Text } from 'ink';
import { useRef } from 'react';
import { alertHelp } from '../rollout/alert-test.js';
import { nextStepLine } from '../plan/action.js';
import { nextSteps } from '../rollout/session.js';
import { laterSteps } from './later-steps.js';
import type { Runtime } from './use-wizard-effects.js';
import type { WizardState } from './wizard/reducer.js';
import { AlertTestView } from './views/alert-test-view.js';
import { DoneView } from './views/done-view.js';
import { FailedView } from './views/failed-view.js';
import { formatElapsed } from './views/theme.js';

/** Done, failed/stopped, or cancelled: the last frame, left on the terminal after exit. */
export function FinalScreen({ s, rt, now }: { s: WizardState; rt: Runtime; now: number }) {
  // The time the apply ended: the screen stays up while the test alert is asked about.
  const endedAt = useRef(now).current;
  if (s.phase === 'cancelled') return <Text>Cancelled. Nothing was changed.</Text>;
  const b = rt.built;
  const steps = s.apply?.steps ?? [];
  if (s.phase === 'done' && b && s.answers) {
    const a = s.answers;
    const next = nextSteps(b);
    const readToken = next.find((n) => n.kind === 'token')?.command;
    const login = next.find((n) => n.kind === 'login');
    const later = laterSteps(a, s.dryRun, readToken);
    const done = (
      <DoneView
        dryRun={s.dryRun}
        host={b.host}
        elapsed={formatElapsed(endedAt - (s.apply?.startedAt ?? endedAt))}
        steps={steps}
        howToConnect={next.filter((n) => n.kind === 'connect').map(nextStepLine)}
        tokenPath={b.plan.steps.some((x) => x.id === 'openclaw') ? b.ctx.paths.env : null}
        stoppedBefore={a.stopBefore}
        login={login ? `log in from now on as ${a.deployUser.name}: ${login.command}` : null}
        recorded={rt.recorded}
        nextSteps={later}
      />
    );
    if (!s.alert) return done;
    return (
      <Box flexDirection="column">
        {done}
        <Box marginTop={1}>
          <AlertTestView alert={s.alert} help={s.alert.stage === 'missing' ? alertHelp(a, s.alert.results) : []} onAnswer={rt.answerAlert} />
        </Box>
      </Box>
    );
  }
  const reverted = [
    ...new Set([
      ...(s.apply?.deadman.filter((d) => d.state === 'reverted').map((d) => d.groupId) ?? []),
      ...steps.filter((x) => x.status === 'reverted').map((x) => x.id),
    ]),
  ];
  return (
    <FailedView
      fatal={s.fatal}
      cancelled={s.result?.status === 'cancelled'}
      steps={steps}
      report={s.result?.report ?? []}
      reverted={reverted}
      dryRun={s.dryRun}
    />
  );
}
