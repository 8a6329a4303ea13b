import { Select } from '@inkjs/ui';
import { Box, Text } from 'ink';
import type { ReviewAction } from '../wizard/reducer.js';
import { COLOR, SYM } from './theme.js';
import { useStable } from './use-stable.js';

export type ReviewChoice = ReviewAction | 'apply';

export interface ReviewProps {
  steps: { id: string; title: string; summary: string[] }[];
  /** "sudo password: set (hidden)", "ANTHROPIC_API_KEY: from environment variable …" */
  secrets: string[];
  host: string;
  notice: string | null;
  error: string | null;
  dryRun: boolean;
  height: number;
  onAction: (a: ReviewChoice) => void;
}

/** Per step what will change, then what to do: apply, look at the plan, save, go back, quit. */
export function Review(p: ReviewProps) {
  const onChange = useStable((v: string) => p.onAction(v as ReviewChoice));
  const options = [
    ...(p.error ? [] : [{ label: p.dryRun ? 'apply (dry run: simulated, nothing changes)' : `apply this plan to ${p.host}`, value: 'apply' }]),
    { label: 'view the full plan (every command and file)', value: 'view-plan' },
    { label: 'save answers to a file (secrets stay references)', value: 'save-answers' },
    { label: 'save the plan as a bash script', value: 'save-plan' },
    { label: 'back to the questions', value: 'back' },
    { label: 'quit (nothing is changed)', value: 'quit' },
  ];
  const lines = reviewLines(p.steps, p.height - options.length - 1 - (p.notice ? 1 : 0) - (p.error ? 2 : 0) - (p.secrets.length ? 1 : 0));
  return (
    <Box flexDirection="column">
      {lines.map((l) => (
        <Text key={l.key} wrap="truncate-end" color={l.head ? undefined : COLOR.dim}>
          {l.head ? `${SYM.dot} ${l.text}` : l.text}
        </Text>
      ))}
      {p.secrets.length ? <Text wrap="truncate-end" color={COLOR.dim}>{`secrets: ${p.secrets.join(' · ')}`}</Text> : null}
      {p.notice ? <Text color={COLOR.ok} wrap="truncate-end">{`${SYM.ok} ${p.notice}`}</Text> : null}
      {p.error ? <Text color={COLOR.bad}>{`${SYM.fail} ${p.error}`}</Text> : null}
      <Box marginTop={1}>
        <Select options={options} visibleOptionCount={options.length} onChange={onChange} />
      </Box>
    </Box>
  );
}

/**
 * The step lines that fit in `room`: one per step first, then second summary
 * lines while there is space; when even one per step does not fit, the tail
 * becomes "… n more" (the full plan is one key away).
 */
export function reviewLines(steps: ReviewProps['steps'], room: number): { key: string; text: string; head: boolean }[] {
  const r = Math.max(2, room);
  if (steps.length > r) {
    const shown = steps.slice(0, r - 1).map((s) => ({ key: s.id, text: `${s.title}: ${s.summary[0] ?? ''}`, head: true }));
    return [...shown, { key: 'more', text: `… ${steps.length - shown.length} more steps: "view the full plan" shows them all`, head: false }];
  }
  const lines = steps.map((s) => ({ key: s.id, text: `${s.title}: ${s.summary[0] ?? ''}`, head: true }));
  let spare = r - lines.length;
  for (let i = 0; i < steps.length && spare > 0; i++) {
    const more = steps[i].summary[1];
    if (!more) continue;
    lines.splice(lines.findIndex((l) => l.key === steps[i].id) + 1, 0, { key: `${steps[i].id}+`, text: `    ${more}`, head: false });
    spare--;
  }
  return lines;
}
