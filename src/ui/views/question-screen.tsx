import { Box, Text } from 'ink';
import type { RawInput } from '../wizard/parse-field.js';
import type { Field, Values } from '../wizard/types.js';
import { displayValue } from '../wizard/walk.js';
import { FieldInput } from './field-input.js';
import { terminalSafe } from '../../core/terminal-text.js';
import { COLOR, SYM } from './theme.js';

export interface QuestionScreenProps {
  fields: Field[];
  cursor: string;
  values: Values;
  error: string | null;
  /** Changes on every visit so inputs start fresh with their pre-filled value. */
  visit: number;
  /** Lines available for the body. */
  height: number;
  width: number;
  onEdit: (fieldId: string, text: string) => void;
  onAnswer: (raw: RawInput) => void;
  onError: (message: string | null) => void;
}

const INPUT_LINES: Record<Field['kind'], (f: Field) => number> = {
  text: () => 1,
  number: () => 1,
  list: () => 1,
  secret: () => 2,
  bool: () => 2,
  select: (f) => Math.min(f.options?.length ?? 1, 6),
  multi: (f) => Math.min(f.options?.length ?? 1, 7),
};

/** One screen of questions: answered ones above with their values, the current one with its input, the rest dimmed. */
export function QuestionScreen(p: QuestionScreenProps) {
  const idx = p.fields.findIndex((f) => f.id === p.cursor);
  const current = p.fields[idx];
  if (!current) return null;
  const lines = (t: string) => Math.ceil((t.length + 4) / Math.max(20, p.width));
  const active = 2 + (current.hint ? lines(current.hint) : 0) + INPUT_LINES[current.kind](current) + (p.error ? lines(p.error) : 0);
  // Show as many neighbours as fit, earlier ones first dropped.
  const room = Math.max(0, p.height - active);
  const after = p.fields.slice(idx + 1, idx + 1 + Math.min(p.fields.length - idx - 1, Math.floor(room / 3)));
  const before = p.fields.slice(Math.max(0, idx - (room - after.length)), idx);
  const hidden = idx - before.length;
  return (
    <Box flexDirection="column">
      {hidden > 0 ? <Text color={COLOR.dim}>{`  … ${hidden} more above`}</Text> : null}
      {before.map((f) => (
        <Text key={f.id} wrap="truncate-end" color={f.given ? COLOR.dim : undefined}>
          {f.given ? `  ${f.label}: ${f.given} (given)` : `${SYM.ok} ${f.label}: ${displayValue(f, p.values[f.id])}`}
        </Text>
      ))}
      <Box flexDirection="column" marginY={before.length || hidden ? 1 : 0}>
        <Text bold wrap="truncate-end">{`${SYM.cursor} ${current.label}`}</Text>
        {current.hint ? <Text color={COLOR.dim}>{`  ${current.hint}`}</Text> : null}
        <Box paddingLeft={2} flexDirection="column">
          <FieldInput
            key={`${current.id}:${p.visit}`}
            field={current}
            hasValue={p.values[current.id] !== undefined}
            onEdit={p.onEdit}
            onAnswer={p.onAnswer}
            onError={p.onError}
          />
        </Box>
        {p.error ? <Text color={COLOR.bad}>{`  ${SYM.fail} ${terminalSafe(p.error)}`}</Text> : null}
      </Box>
      {after.map((f) => (
        <Text key={f.id} color={COLOR.dim} wrap="truncate-end">
          {f.given ? `  ${f.label}: ${f.given} (given)` : `  ${f.label}`}
        </Text>
      ))}
    </Box>
  );
}
