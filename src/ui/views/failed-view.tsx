import { Box, Text } from 'ink';
import type { ApplyStep } from '../wizard/apply-state.js';
import { COLOR, SYM } from './theme.js';
import { terminalSafe } from '../../core/terminal-text.js';
import { dryRunReport } from '../plan-file.js';

export interface FailedViewProps {
  /** Set when the run never started (could not connect): exit 1, nothing changed. */
  fatal: string | null;
  cancelled: boolean;
  steps: ApplyStep[];
  /** The runner's plain-words report, already redacted. */
  report: string[];
  reverted: string[];
  /** A dry run: the server was never touched, so nothing is "in place" on it. */
  dryRun?: boolean;
}

const names = (steps: ApplyStep[], ...st: ApplyStep['status'][]) => steps.filter((s) => st.includes(s.status)).map((s) => s.id);

/** What failed in plain words, what was reverted, the server's state now, how to retry. */
export function FailedView(p: FailedViewProps) {
  if (p.fatal)
    return (
      <Box flexDirection="column">
        {/* A connection error may quote the server (ssh's stderr): never raw to the terminal. */}
        <Text bold color={COLOR.bad}>{`${SYM.fail} ${terminalSafe(p.fatal)}`}</Text>
        <Text>Nothing was changed. Check the address, port, login and key, then run claw-setup again.</Text>
      </Box>
    );
  const failed = p.steps.find((s) => s.status === 'failed' || s.status === 'reverted');
  const done = names(p.steps, 'done', 'skipped');
  const notRun = names(p.steps, 'pending');
  if (p.dryRun) {
    const report = dryRunReport(p.report);
    return (
      <Box flexDirection="column">
        <Text bold color={p.cancelled ? COLOR.warn : COLOR.bad}>
          {p.cancelled
            ? `Stopped at your request${failed ? ` during ${failed.id}` : ''} (dry run).`
            : `${SYM.fail} Simulated step "${failed?.title ?? '?'}" failed.`}
        </Text>
        {report.map((l) => (
          <Text key={l} wrap="wrap">{`  ${l}`}</Text>
        ))}
        <Box marginTop={1} flexDirection="column">
          <Text bold>Nothing was changed: a dry run only simulates the server</Text>
          <Text wrap="wrap">{`  simulated: ${done.join(', ') || 'nothing yet'}`}</Text>
          <Text wrap="wrap">{`  not simulated: ${[...(failed ? [failed.id] : []), ...notRun].join(', ') || 'nothing'}`}</Text>
        </Box>
        <Box marginTop={1}>
          <Text wrap="wrap">To see the whole plan: run claw-setup --dry-run again and let it finish, or save the plan from the review.</Text>
        </Box>
      </Box>
    );
  }
  return (
    <Box flexDirection="column">
      <Text bold color={p.cancelled ? COLOR.warn : COLOR.bad}>
        {p.cancelled
          ? `Stopped at your request${failed ? ` during ${failed.id}` : ''}.`
          : `${SYM.fail} Step "${failed?.title ?? '?'}" failed; nothing after it ran.`}
      </Text>
      {p.report.map((l) => (
        <Text key={l} wrap="wrap">{`  ${l}`}</Text>
      ))}
      <Box marginTop={1} flexDirection="column">
        <Text bold>Reverted</Text>
        <Text wrap="wrap">
          {p.reverted.length ? `  ${p.reverted.join(', ')}: the server restored its backups; your way in is as before` : '  nothing needed reverting'}
        </Text>
      </Box>
      <Box marginTop={1} flexDirection="column">
        <Text bold>Server state now</Text>
        <Text wrap="wrap">{`  in place: ${done.join(', ') || 'nothing yet'}`}</Text>
        {failed ? <Text wrap="wrap">{`  ${failed.status}: ${failed.id}`}</Text> : null}
        <Text wrap="wrap">{`  not run: ${notRun.join(', ') || 'nothing'}`}</Text>
      </Box>
      <Box marginTop={1}>
        <Text wrap="wrap">
          {p.cancelled
            ? 'To go on: run claw-setup again with the same answers; what is already in place is skipped.'
            : 'To retry: fix the cause above and run claw-setup again with the same answers; a rerun skips what is already in place.'}
        </Text>
      </Box>
    </Box>
  );
}
