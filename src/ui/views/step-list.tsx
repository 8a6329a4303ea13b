import { Box, Text } from 'ink';
import type { ApplyStep, StepStatus } from '../wizard/apply-state.js';
import { COLOR, SYM, fit } from './theme.js';

const LOOK: Record<StepStatus, { sym: string; color?: string; word: string }> = {
  pending: { sym: SYM.pending, color: COLOR.dim, word: '' },
  running: { sym: SYM.running, color: COLOR.accent, word: 'running' },
  done: { sym: SYM.ok, color: COLOR.ok, word: '' },
  skipped: { sym: SYM.skipped, color: COLOR.dim, word: 'already done' },
  failed: { sym: SYM.fail, color: COLOR.bad, word: 'failed' },
  reverted: { sym: SYM.reverted, color: COLOR.warn, word: 'reverted' },
};

/** Steps with their state; two columns of ids when the window is short. */
export function StepList({ steps, width, twoColumns }: { steps: ApplyStep[]; width: number; twoColumns: boolean }) {
  const cell = (s: ApplyStep, w: number) => {
    const look = s.status === 'skipped' && s.checksOnly ? { ...LOOK.skipped, sym: SYM.ok, word: 'checked' } : LOOK[s.status];
    const label = twoColumns ? s.id : s.title;
    return (
      <Text key={s.id} color={look.color} wrap="truncate-end">
        {fit(`${look.sym} ${label}${look.word ? ` (${look.word})` : ''}`, w)}
      </Text>
    );
  };
  if (!twoColumns) return <Box flexDirection="column">{steps.map((s) => cell(s, width))}</Box>;
  const half = Math.ceil(steps.length / 2);
  const col = Math.floor(width / 2) - 1;
  return (
    <Box flexDirection="row">
      <Box flexDirection="column" width={col + 1}>
        {steps.slice(0, half).map((s) => cell(s, col))}
      </Box>
      <Box flexDirection="column" width={col + 1}>
        {steps.slice(half).map((s) => cell(s, col))}
      </Box>
    </Box>
  );
}
