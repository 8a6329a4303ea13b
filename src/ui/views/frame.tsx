import { Box, Text } from 'ink';
import type { ReactNode } from 'react';
import { COLOR, fit } from './theme.js';

export interface FrameProps {
  title: string;
  /** Right side of the header, e.g. "screen 3 of 12". */
  where?: string;
  dryRun: boolean;
  /** Key hints for the footer. */
  keys: string;
  width: number;
  /** Short terminal: no blank lines around the body. */
  compact?: boolean;
  children: ReactNode;
}

/** Lines the frame itself takes (header, footer and their spacing). */
export const frameLines = (compact: boolean): number => (compact ? 2 : 4);

/** Header, body, key hints. Everything is cut to the terminal width so a narrow window never wraps the chrome. */
export function Frame({ title, where, dryRun, keys, width, compact = false, children }: FrameProps) {
  const left = `claw-setup · ${title}`;
  const right = [dryRun ? 'DRY RUN' : '', where ?? ''].filter(Boolean).join(' · ');
  const gap = Math.max(1, width - left.length - right.length);
  return (
    <Box flexDirection="column" width={width}>
      <Text wrap="truncate-end">
        <Text bold color={COLOR.accent}>
          {fit(left, width - right.length - 1)}
        </Text>
        {' '.repeat(gap)}
        <Text color={dryRun ? COLOR.warn : COLOR.dim}>{right}</Text>
      </Text>
      <Box flexDirection="column" marginTop={compact ? 0 : 1}>
        {children}
      </Box>
      <Box marginTop={compact ? 0 : 1}>
        <Text color={COLOR.dim} wrap="truncate-end">
          {keys}
        </Text>
      </Box>
    </Box>
  );
}
