import { Box, Text } from 'ink';
import { spoken, type RawInput } from '../wizard/parse-field.js';
import type { Field, Values } from '../wizard/types.js';
import { displayValue } from '../wizard/walk.js';
import { FieldInput } from './field-input.js';
import { terminalSafe } from '../../core/terminal-text.js';
import { COLOR, SYM, wrappedRows } from './theme.js';

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

const beforeText = (f: Field, values: Values) => (f.given ? `  ${f.label}: ${f.given} (given)` : `${SYM.ok} ${f.label}: ${displayValue(f, values[f.id])}`);
const afterText = (f: Field) => (f.given ? `  ${f.label}: ${f.given} (given)` : `  ${f.label}`);

/** The leading fields whose rows fit in `room`. */
function fitRows(fields: Field[], room: number, rows: (f: Field) => number): Field[] {
  let used = 0;
  const out: Field[] = [];
  for (const f of fields) {
    used += rows(f);
    if (used > room) break;
    out.push(f);
  }
  return out;
}

/** One screen of questions: answered ones above with their values, the current one with its input, the rest dimmed. */
export function QuestionScreen(p: QuestionScreenProps) {
  const idx = p.fields.findIndex((f) => f.id === p.cursor);
  const current = p.fields[idx];
  if (!current) return null;
  // Long lines wrap (a cut warning loses its point at 80 columns), so neighbours are counted in rows.
  const lines = (t: string) => wrappedRows(t, Math.max(20, p.width));
  const label = `${SYM.cursor} ${current.label}`;
  const active =
    2 + lines(label) + (current.hint ? lines(`  ${current.hint}`) : 0) + INPUT_LINES[current.kind](current) + (p.error ? lines(`  ${SYM.fail} ${p.error}`) : 0);
  // Show as many neighbours as fit, earlier ones first dropped.
  const room = Math.max(0, p.height - active);
  const after = fitRows(p.fields.slice(idx + 1), Math.floor(room / 3), (f) => lines(afterText(f)));
  const before = fitRows(p.fields.slice(0, idx).reverse(), room - 1 - after.reduce((n, f) => n + lines(afterText(f)), 0), (f) =>
    lines(beforeText(f, p.values)),
  ).reverse();
  const hidden = idx - before.length;
  return (
    <Box flexDirection="column">
      {hidden > 0 ? <Text color={COLOR.dim}>{`  … ${hidden} more above`}</Text> : null}
      {before.map((f) => (
        <Text key={f.id} color={f.given ? COLOR.dim : undefined}>
          {beforeText(f, p.values)}
        </Text>
      ))}
      <Box flexDirection="column" marginY={before.length || hidden ? 1 : 0}>
        <Text bold>{label}</Text>
        {current.hint ? <Text color={COLOR.dim}>{`  ${current.hint}`}</Text> : null}
        <Box paddingLeft={2} flexDirection="column">
          <FieldInput
            key={`${current.id}:${p.visit}`}
            field={current}
            // An optional secret answered "none" (null) holds no value to keep.
            hasValue={p.values[current.id] !== undefined && p.values[current.id] !== null}
            onEdit={p.onEdit}
            onAnswer={p.onAnswer}
            onError={p.onError}
          />
        </Box>
        {p.error ? <Text color={COLOR.bad}>{`  ${SYM.fail} ${terminalSafe(spoken(p.error))}`}</Text> : null}
      </Box>
      {after.map((f) => (
        <Text key={f.id} color={COLOR.dim}>
          {afterText(f)}
        </Text>
      ))}
    </Box>
  );
}
