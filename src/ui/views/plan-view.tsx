import { Box, Text } from 'ink';
import type { PlanRow } from './plan-lines.js';
import { COLOR } from './theme.js';

export interface PlanViewProps {
  rows: PlanRow[];
  scroll: number;
  height: number;
}

/** The full plan, exactly as printed by `claw-setup plan`, one window at a time. */
export function PlanView({ rows, scroll, height }: PlanViewProps) {
  const h = Math.max(3, height - 1);
  const top = Math.min(scroll, Math.max(0, rows.length - h));
  const shown = rows.slice(top, top + h);
  return (
    <Box flexDirection="column">
      {shown.map((r, i) => (
        <Text key={top + i} wrap="truncate-end" color={r.text.startsWith('#') ? COLOR.dim : undefined}>
          {r.text === '' ? ' ' : r.text}
        </Text>
      ))}
      <Text color={COLOR.accent}>{`rows ${top + 1}–${top + shown.length} of ${rows.length}`}</Text>
    </Box>
  );
}

/** The furthest the plan can scroll for this height. */
export const maxScroll = (rows: number, height: number): number => Math.max(0, rows - Math.max(3, height - 1));
