import { Text } from 'ink';
import { nextStepLine } from '../plan/action.js';
import { nextSteps } from '../rollout/session.js';
import type { Runtime } from './use-wizard-effects.js';
import type { WizardState } from './wizard/reducer.js';
import { DoneView } from './views/done-view.js';
import { FailedView } from './views/failed-view.js';
import { formatElapsed } from './views/theme.js';

/** Done, failed/stopped, or cancelled: the last frame, left on the terminal after exit. */
export function FinalScreen({ s, rt, now }: { s: WizardState; rt: Runtime; now: number }) {
  if (s.phase === 'cancelled') return <Text>Cancelled. Nothing was changed.</Text>;
  const b = rt.built;
  const steps = s.apply?.steps ?? [];
  if (s.phase === 'done' && b && s.answers) {
    const a = s.answers;
    const next = nextSteps(b);
    const readToken = next.find((n) => n.kind === 'token')?.command;
    const login = next.find((n) => n.kind === 'login');
    const later = [
      ...(readToken ? [`read the gateway token when you need it: ${readToken}`] : []),
      s.dryRun ? 'to apply for real, run claw-setup again without --dry-run' : 'add a messaging channel later: npx claw-setup add-channel',
      ...(a.openclaw.channels.some((c) => c.type === 'whatsapp')
        ? ['WhatsApp: link the account with `openclaw channels login` (QR code) in the gateway container']
        : []),
      ...(a.monitoring.enabled && a.monitoring.ntfyTopic ? [`subscribe to alerts: ${a.monitoring.ntfyServer}/${a.monitoring.ntfyTopic}`] : []),
    ];
    return (
      <DoneView
        dryRun={s.dryRun}
        host={b.host}
        elapsed={formatElapsed(now - (s.apply?.startedAt ?? now))}
        steps={steps}
        howToConnect={next.filter((n) => n.kind === 'connect').map(nextStepLine)}
        tokenPath={b.plan.steps.some((x) => x.id === 'openclaw') ? b.ctx.paths.env : null}
        stoppedBefore={a.stopBefore}
        login={login ? `log in from now on as ${a.deployUser.name}: ${login.command}` : null}
        recorded={rt.recorded}
        nextSteps={later}
      />
    );
  }
  const reverted = [
    ...new Set([
      ...(s.apply?.deadman.filter((d) => d.state === 'reverted').map((d) => d.groupId) ?? []),
      ...steps.filter((x) => x.status === 'reverted').map((x) => x.id),
    ]),
  ];
  return <FailedView fatal={s.fatal} cancelled={s.result?.status === 'cancelled'} steps={steps} report={s.result?.report ?? []} reverted={reverted} />;
}
