import { Select } from '@inkjs/ui';
import { Box, Text, useStdin } from 'ink';
import { useEffect } from 'react';
import { COLOR } from '../views/theme.js';
import { useStable } from '../views/use-stable.js';
import { HOME_ACTIONS, type HomeAction, type HomeInfo } from './home-state.js';

export interface HomeViewProps {
  host: string;
  info: HomeInfo;
  /** Offline: the menu edits an answers file; actions that need the server are left out. */
  offline?: boolean;
  height: number;
  onAction: (a: HomeAction) => void;
}

/**
 * Raw mode set again once the menu shows. Seen in the tmux e2e: the menu shown again after a day-2
 * command had run (inquirer prompts, SSH) read arrows as cooked input (echoed "^[[B", never
 * delivered) although Ink had turned raw mode on at mount; Ink's own count does not set it twice.
 */
function useRawModeAgain(): void {
  const { stdin, isRawModeSupported } = useStdin();
  useEffect(() => {
    if (isRawModeSupported) stdin.setRawMode(true);
  }, []);
}

/** Actions that only change the answers (the rest need the running server). */
const OFFLINE_ACTIONS: readonly HomeAction[] = ['add-channel', 'remove-channel', 'modify', 'quit'];

/** The deployed server in one screen (what `claw-setup status` prints) and the menu of what people come back for. */
export function HomeView({ host, info, offline, height, onAction }: HomeViewProps) {
  useRawModeAgain();
  const onChange = useStable((v: string) => onAction(v as HomeAction));
  const options = HOME_ACTIONS.filter(([a]) => !offline || OFFLINE_ACTIONS.includes(a)).map(([value, label]) => ({ value, label }));
  // The menu always shows whole; the summary gives up its last lines first on a short terminal.
  const room = Math.max(1, height - options.length - 3);
  return (
    <Box flexDirection="column">
      <Text bold>
        {offline ? 'Answers for ' : 'claw-setup deployment on '}
        <Text color={COLOR.accent}>{host}</Text>
        {info.version ? ` · OpenClaw ${info.version}` : ''}
      </Text>
      {info.lines.slice(0, room).map((l) => (
        <Text key={l} wrap="truncate-end">
          {l}
        </Text>
      ))}
      <Box marginTop={1} flexDirection="column">
        <Text>What do you want to do?</Text>
        <Select options={options} visibleOptionCount={options.length} onChange={onChange} />
      </Box>
    </Box>
  );
}

export interface SectionsViewProps {
  sections: { id: string; title: string; given: number }[];
  error: string | null;
  onPick: (id: string) => void;
}

/** Modify: which section's answers to change (the others stay as they are). */
export function SectionsView({ sections, error, onPick }: SectionsViewProps) {
  useRawModeAgain();
  const onChange = useStable((v: string) => onPick(v));
  const options = sections.map((x) => ({ value: x.id, label: x.title }));
  return (
    <Box flexDirection="column">
      <Text>Which section do you want to change? Its questions come back with the current answers filled in;</Text>
      <Text>everything else stays as it is. Esc goes on without changing anything.</Text>
      {error ? <Text color={COLOR.bad}>{error}</Text> : null}
      <Box marginTop={1}>
        <Select options={options} visibleOptionCount={Math.min(12, options.length)} onChange={onChange} />
      </Box>
    </Box>
  );
}

/** The last frame before a menu action runs below it in the same terminal (cli/home.ts). */
export function HandoffView({ action }: { action: HomeAction | null }) {
  const label = HOME_ACTIONS.find(([a]) => a === action)?.[1] ?? 'Quit';
  return <Text>{action === 'quit' ? 'Nothing was changed.' : `${label}: the questions follow below; the menu comes back afterwards.`}</Text>;
}
