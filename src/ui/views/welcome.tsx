import { Box, Text } from 'ink';
import { COLOR, SYM } from './theme.js';

export interface WelcomeProps {
  dryRun: boolean;
  /** How many questions are left to ask (the rest came from flags, env or the answers file). */
  toAsk: number;
  given: number;
}

/** What the wizard will do, and the promise that nothing changes before the review. */
export function Welcome({ dryRun, toAsk, given }: WelcomeProps) {
  const items = [
    'a deploy user with your key, proven by a fresh login before anything else',
    'a firewall with a break-glass rule for your IP; Tailscale if you want it',
    'SSH hardened (no root, no passwords), fail2ban, automatic security updates',
    'OpenClaw in Docker on 127.0.0.1 only, with backups and health alerts',
  ];
  return (
    <Box flexDirection="column">
      <Text>This wizard takes a fresh Ubuntu or Debian VPS to a hardened OpenClaw server:</Text>
      {items.map((i) => (
        <Text key={i} wrap="truncate-end">{`  ${SYM.dot} ${i}`}</Text>
      ))}
      <Box marginTop={1} flexDirection="column">
        <Text>Risky steps run under a dead-man switch: the server undoes them by itself</Text>
        <Text>unless a fresh login proves you can still get in.</Text>
      </Box>
      <Box marginTop={1} flexDirection="column">
        <Text bold color={COLOR.ok}>
          Nothing changes until you confirm on the review screen.
        </Text>
        {dryRun ? (
          <Text color={COLOR.warn}>Dry run: nothing will change anywhere; secrets may be left empty, and the plan is saved to a file at the end.</Text>
        ) : null}
      </Box>
      <Box marginTop={1}>
        <Text color={COLOR.dim}>
          About {toAsk} question{toAsk === 1 ? '' : 's'} to answer, each with a safe default
          {given ? `; ${given} already answered by flags, environment or answers file` : ''}. Press Enter to start.
        </Text>
      </Box>
    </Box>
  );
}
