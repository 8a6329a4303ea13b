import { Box, Text } from 'ink';
import type { ApplyStep } from '../wizard/apply-state.js';
import { COLOR, SYM } from './theme.js';

export interface DoneViewProps {
  dryRun: boolean;
  host: string;
  elapsed: string;
  steps: ApplyStep[];
  /** The access step's "connect" next steps: the tunnel command, or the Tailscale / domain URL. */
  howToConnect: string[];
  /** Null when the plan stopped before OpenClaw (stopBefore): then there is no token yet. */
  tokenPath: string | null;
  /** The step the plan stopped before, if any. */
  stoppedBefore: string | null;
  /** How to log in from now on (from the ssh step), or null when the plan did not tighten sshd. */
  login: string | null;
  /** Commands the dry run recorded (nothing ran). */
  recorded: number | null;
  nextSteps: string[];
}

/** What changed, how to connect, where the token is (never its value), what next. */
export function DoneView(p: DoneViewProps) {
  const changed = p.steps.filter((s) => s.status === 'done').map((s) => s.id);
  const already = p.steps.filter((s) => s.status === 'skipped' && !s.checksOnly).map((s) => s.id);
  const checked = p.steps.filter((s) => s.status === 'skipped' && s.checksOnly).map((s) => s.id);
  return (
    <Box flexDirection="column">
      {p.dryRun ? (
        <Text bold color={COLOR.ok}>{`${SYM.ok} Dry run finished in ${p.elapsed}: nothing was changed on any machine.`}</Text>
      ) : (
        <Text bold color={COLOR.ok}>
          {p.stoppedBefore
            ? `${SYM.ok} Done in ${p.elapsed}: every step before "${p.stoppedBefore}" is in place on ${p.host}.`
            : `${SYM.ok} Done in ${p.elapsed}: ${p.host} is hardened and OpenClaw is running.`}
        </Text>
      )}
      {p.dryRun && p.recorded !== null ? (
        <Text color={COLOR.dim}>{`${p.recorded} commands, writes and checks were recorded; the plan is saved to a file (its path is at the end).`}</Text>
      ) : null}
      <Box marginTop={1} flexDirection="column">
        <Text wrap="wrap">{`${p.dryRun ? 'Would change' : 'Changed'}: ${changed.join(', ') || 'nothing'}`}</Text>
        {already.length ? <Text color={COLOR.dim} wrap="wrap">{`Already in place: ${already.join(', ')}`}</Text> : null}
        {checked.length ? <Text color={COLOR.dim} wrap="wrap">{`Checked: ${checked.join(', ')}`}</Text> : null}
      </Box>
      <Box marginTop={1} flexDirection="column">
        <Text bold>How to connect</Text>
        {p.howToConnect.map((l) => (
          <Text key={l} wrap="wrap">{`  ${l}`}</Text>
        ))}
        {p.tokenPath ? <Text wrap="wrap">{`  gateway token: stored in ${p.tokenPath} (OPENCLAW_GATEWAY_TOKEN); it is never shown here`}</Text> : null}
        {p.login ? <Text wrap="wrap">{`  ${p.login}`}</Text> : null}
      </Box>
      {p.nextSteps.length ? (
        <Box marginTop={1} flexDirection="column">
          <Text bold>Next</Text>
          {p.nextSteps.map((l) => (
            <Text key={l} wrap="wrap">{`  ${SYM.dot} ${l}`}</Text>
          ))}
        </Box>
      ) : null}
    </Box>
  );
}
