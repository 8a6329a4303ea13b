import { Select } from '@inkjs/ui';
import type { RawInput } from '../wizard/parse-field.js';
import type { Field, Option } from '../wizard/types.js';
import { LineInput } from './line-input.js';
import { MultiChoice } from './multi-choice.js';
import { SecretInput } from './secret-input.js';
import { useStable } from './use-stable.js';

export interface FieldInputProps {
  field: Field;
  /** True when an answer exists already (a secret then shows "set (hidden)" and Enter keeps it). */
  hasValue: boolean;
  /** Live text of a text-like field, tagged with the field it belongs to. */
  onEdit: (fieldId: string, text: string) => void;
  onAnswer: (raw: RawInput) => void;
  onError: (message: string | null) => void;
}

/** The current value first: @inkjs/ui's Select focuses the first option, so Enter keeps the default. */
export function defaultFirst(options: Option[], initial: unknown): Option[] {
  const i = options.findIndex((o) => o.value === initial);
  return i <= 0 ? options : [options[i], ...options.slice(0, i), ...options.slice(i + 1)];
}

const text = (v: Field['initial']): string => (v === null ? '' : Array.isArray(v) ? v.join(', ') : String(v));

/** The input widget for one question: @inkjs/ui choices, or the line editor for typed values. */
export function FieldInput({ field, hasValue, onEdit, onAnswer, onError }: FieldInputProps) {
  const stable = useStable(onAnswer);
  const edit = useStable((t: string) => onEdit(field.id, t));
  switch (field.kind) {
    case 'secret':
      return <SecretInput field={field} hasValue={hasValue} onAnswer={onAnswer} onError={onError} />;
    case 'bool': {
      const options = defaultFirst(
        [
          { label: 'yes', value: 'yes' },
          { label: 'no', value: 'no' },
        ],
        field.initial === false ? 'no' : 'yes',
      );
      return <Select options={options} onChange={(v) => stable(v === 'yes')} />;
    }
    case 'select': {
      const options = defaultFirst(field.options ?? [], field.initial);
      return <Select options={options} visibleOptionCount={Math.min(options.length, 6)} onChange={stable} />;
    }
    case 'multi':
      return (
        <MultiChoice
          options={field.options ?? []}
          defaultValue={Array.isArray(field.initial) ? field.initial.map(String) : []}
          visibleOptionCount={Math.min((field.options ?? []).length, 7)}
          onSubmit={stable}
        />
      );
    default:
      return <LineInput defaultValue={text(field.initial)} placeholder={field.optional ? '(empty for none)' : ''} onChange={edit} onSubmit={stable} />;
  }
}
