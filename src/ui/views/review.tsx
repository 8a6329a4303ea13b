import { Select } from '@inkjs/ui';
import { Box, Text } from 'ink';
import type { ReviewAction } from '../wizard/reducer.js';
import { COLOR, SYM, wrappedRows } from './theme.js';
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
  /** Columns: long lines wrap, and the step list is cut to the rows that fit. */
  width?: number;
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
  const width = p.width ?? Infinity;
  const secrets = p.secrets.length ? `secrets: ${p.secrets.join(' · ')}` : '';
  const rows = (s: string) => (s ? wrappedRows(s, width) : 0);
  const lines = reviewLines(
    p.steps,
    p.height - options.length - 1 - rows(p.notice ? `${SYM.ok} ${p.notice}` : '') - (p.error ? 1 + rows(`${SYM.fail} ${p.error}`) : 0) - rows(secrets),
    width,
  );
  return (
    <Box flexDirection="column">
      {lines.map((l) => (
        <Text key={l.key} color={l.head ? undefined : COLOR.dim}>
          {l.head ? `${SYM.dot} ${l.text}` : l.text}
        </Text>
      ))}
      {secrets ? <Text color={COLOR.dim}>{secrets}</Text> : null}
      {p.notice ? <Text color={COLOR.ok}>{`${SYM.ok} ${p.notice}`}</Text> : null}
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
export function reviewLines(steps: ReviewProps['steps'], room: number, width = Infinity): { key: string; text: string; head: boolean }[] {
  const r = Math.max(2, room);
  // A head line is drawn as "· text": its rows at this width.
  const rows = (l: { text: string; head: boolean }) => wrappedRows(l.head ? `${SYM.dot} ${l.text}` : l.text, width);
  const heads = steps.map((s) => ({ key: s.id, text: `${s.title}: ${s.summary[0] ?? ''}`, head: true }));
  const total = heads.reduce((n, l) => n + rows(l), 0);
  if (total > r) {
    const more = (n: number) => ({ key: 'more', text: `… ${n} more steps: "view the full plan" shows them all`, head: false });
    const shown: typeof heads = [];
    let used = rows(more(steps.length));
    for (const l of heads) {
      if (used + rows(l) > r) break;
      used += rows(l);
      shown.push(l);
    }
    return [...shown, more(steps.length - shown.length)];
  }
  const lines = [...heads];
  let spare = r - total;
  for (let i = 0; i < steps.length && spare > 0; i++) {
    const second = steps[i].summary[1];
    if (!second) continue;
    const line = { key: `${steps[i].id}+`, text: `    ${second}`, head: false };
    if (rows(line) > spare) continue;
    lines.splice(lines.findIndex((l) => l.key === steps[i].id) + 1, 0, line);
    spare -= rows(line);
  }
  return lines;
}
