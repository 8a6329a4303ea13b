import { ConfirmInput, Spinner } from '@inkjs/ui';
import { Box, Text } from 'ink';
import { targetNames } from '../../rollout/alert-test.js';
import type { AlertState } from '../wizard/reducer.js';
import { COLOR, SYM } from './theme.js';
import { terminalSafe } from '../../core/terminal-text.js';

export interface AlertTestViewProps {
  alert: AlertState;
  /** Where to look when it did not arrive (alertHelp): never a topic or URL. */
  help: string[];
  onAnswer: (yes: boolean) => void;
}

/** The test alert under the done screen: send now?, the result per target, did it arrive?, and what to check if not. */
export function AlertTestView({ alert: a, help, onAnswer }: AlertTestViewProps) {
  const names = targetNames(a.targets);
  if (a.stage === 'dry-run')
    return <Text wrap="wrap">{`Would send a test alert through ${names} now and ask whether it arrived (a dry run sends nothing).`}</Text>;
  return (
    <Box flexDirection="column">
      <Text bold>Test alert</Text>
      {a.stage === 'offer' ? (
        <Box>
          <Text>{`${SYM.cursor} Send a test alert now through ${names}? `}</Text>
          <ConfirmInput key="offer" defaultChoice="confirm" onConfirm={() => onAnswer(true)} onCancel={() => onAnswer(false)} />
        </Box>
      ) : null}
      {a.stage === 'sending' ? <Spinner label={`sending a test alert from the server through ${names}…`} /> : null}
      {/* What the alert services answered, relayed by the server: never raw to the terminal. */}
      {a.lines.map((l) => (
        <Text key={l} wrap="wrap">{`  ${terminalSafe(l)}`}</Text>
      ))}
      {a.error ? <Text color={COLOR.bad} wrap="wrap">{`  ${SYM.fail} ${terminalSafe(a.error)}`}</Text> : null}
      {a.stage === 'ask' ? (
        <Box>
          <Text>{`${SYM.cursor} Did it arrive? `}</Text>
          <ConfirmInput key="ask" defaultChoice="cancel" onConfirm={() => onAnswer(true)} onCancel={() => onAnswer(false)} />
        </Box>
      ) : null}
      {a.stage === 'arrived' ? (
        <Text color={COLOR.ok}>{`${SYM.ok} Alerts from this server reach you. Send another any time: claw-setup alert-test`}</Text>
      ) : null}
      {a.stage === 'skipped' ? <Text color={COLOR.dim}>{'No test alert sent. Send one any time: claw-setup alert-test'}</Text> : null}
      {a.stage === 'missing' ? (
        <Box flexDirection="column">
          <Text color={COLOR.warn}>{`${SYM.fail} The test alert did not reach you. What to check:`}</Text>
          {help.map((l) => (
            <Text key={l} wrap="wrap">{`  ${SYM.dot} ${l}`}</Text>
          ))}
        </Box>
      ) : null}
    </Box>
  );
}
