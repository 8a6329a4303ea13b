import { ConfirmInput, ProgressBar, Spinner } from '@inkjs/ui';
import { Box, Text } from 'ink';
import { progress, type ApplyState, type DeadmanLine, type GateLine } from '../wizard/apply-state.js';
import { StepList } from './step-list.js';
import { COLOR, SYM, fit, formatElapsed } from './theme.js';

export interface ApplyViewProps {
  apply: ApplyState;
  now: number;
  abort: 'none' | 'confirming' | 'requested';
  width: number;
  height: number;
  onAbort: (yes: boolean) => void;
}

const GATE_WORD = { running: '…', passed: '… ok', failed: '… FAILED' } as const;

function gateText(g: GateLine): string {
  return `gate: ${g.title}${GATE_WORD[g.status]}${g.detail && g.status === 'failed' ? ` (${g.detail})` : ''}`;
}

function deadmanText(d: DeadmanLine, now: number): string {
  if (d.state === 'armed') {
    const left = d.timeoutSec ? Math.max(0, d.timeoutSec - Math.floor(Math.max(0, now - d.at) / 1000)) : null;
    return `dead-man switch ${d.groupId}: ARMED${left !== null ? `, restores in ${left}s unless a fresh login disarms it` : ''}`;
  }
  return `dead-man switch ${d.groupId}: ${d.state}`;
}

/** Live progress: steps, the current action, gates, dead-man timers, a short redacted output tail. */
export function ApplyView({ apply, now, abort, width, height, onAbort }: ApplyViewProps) {
  const twoColumns = apply.steps.length + 10 > height;
  const gates = apply.gates.slice(-2);
  const deadman = apply.deadman.filter((d) => d.state === 'armed' || now - d.at < 15000).slice(-2);
  const pct = progress(apply);
  return (
    <Box flexDirection="column">
      <StepList steps={apply.steps} width={width} twoColumns={twoColumns} />
      <Box marginTop={1} flexDirection="column">
        {abort === 'confirming' ? (
          <Text color={COLOR.warn} wrap="truncate-end">{`${SYM.dot} paused${apply.action ? ` at ${apply.action.stepId}: ${apply.action.title}` : ''}`}</Text>
        ) : apply.action ? (
          <Spinner label={fit(`${apply.action.stepId}: ${apply.action.title}`, width - 3)} />
        ) : (
          <Text color={COLOR.dim}>{SYM.dot} waiting…</Text>
        )}
        {gates.map((g) => (
          <Text key={`${g.stepId}:${g.title}`} wrap="truncate-end" color={g.status === 'failed' ? COLOR.bad : g.status === 'passed' ? COLOR.ok : undefined}>
            {gateText(g)}
          </Text>
        ))}
        {deadman.map((d) => (
          <Text key={d.groupId} wrap="truncate-end" color={d.state === 'armed' ? COLOR.warn : d.state === 'reverted' ? COLOR.bad : COLOR.dim}>
            {deadmanText(d, now)}
          </Text>
        ))}
        {apply.tail.map((l, i) => (
          <Text key={i} color={COLOR.dim} wrap="truncate-end">{`  ${l}`}</Text>
        ))}
      </Box>
      <Box marginTop={1}>
        <Box width={Math.max(10, width - 18)}>
          <ProgressBar value={pct} />
        </Box>
        <Text>{` ${String(pct).padStart(3)}% ${formatElapsed(now - apply.startedAt)}`}</Text>
      </Box>
      {abort === 'confirming' ? (
        <Box flexDirection="column" marginTop={1}>
          <Text color={COLOR.warn}>
            Paused: the action under way finishes (a guarded change finishes or is put back), then nothing more starts until you answer. y stops there; n goes
            on.
          </Text>
          <Box>
            <Text>Stop applying? </Text>
            <ConfirmInput defaultChoice="cancel" onConfirm={() => onAbort(true)} onCancel={() => onAbort(false)} />
          </Box>
        </Box>
      ) : abort === 'requested' ? (
        <Text color={COLOR.warn}>Stopping: the action under way finishes (a guarded change in progress is put back), then nothing more runs…</Text>
      ) : null}
    </Box>
  );
}
