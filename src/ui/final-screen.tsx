import { Text } from 'ink';
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
    const notes = b.plan.steps.find((x) => x.id === 'access')?.notes ?? [];
    const readToken = notes.map((n) => /read it with: (.+)$/.exec(n)?.[1]).find(Boolean);
    const next = [
      ...(readToken ? [`read the gateway token when you need it: ${readToken}`] : []),
      s.dryRun ? 'to apply for real, run claw-setup again without --dry-run' : 'add a messaging channel later: npx claw-setup add-channel',
      ...(a.openclaw.channels.some((c) => c.type === 'whatsapp') ? ['WhatsApp: link the account with `openclaw channels login` (QR code) in the gateway container'] : []),
      ...(a.monitoring.enabled && a.monitoring.ntfyTopic ? [`subscribe to alerts: ${a.monitoring.ntfyServer}/${a.monitoring.ntfyTopic}`] : []),
    ];
    return (
      <DoneView
        dryRun={s.dryRun} host={b.host} elapsed={formatElapsed(now - (s.apply?.startedAt ?? now))} steps={steps}
        howToConnect={notes.filter((n) => !n.startsWith('the gateway token'))}
        tokenPath={b.plan.steps.some((x) => x.id === 'openclaw') ? b.ctx.paths.env : null} stoppedBefore={a.stopBefore} deployUser={a.deployUser.name} sshPort={a.ssh.port} recorded={rt.recorded} nextSteps={next}
      />
    );
  }
  const reverted = [
    ...new Set([...(s.apply?.deadman.filter((d) => d.state === 'reverted').map((d) => d.groupId) ?? []), ...steps.filter((x) => x.status === 'reverted').map((x) => x.id)]),
  ];
  return <FailedView fatal={s.fatal} cancelled={s.result?.status === 'cancelled'} steps={steps} report={s.result?.report ?? []} reverted={reverted} />;
}
