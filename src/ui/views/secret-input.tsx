import { Text } from 'ink';
import { useRef, useState } from 'react';
import { parseSecret } from '../wizard/parse-field.js';
import type { Field } from '../wizard/types.js';
import { LineInput } from './line-input.js';
import { COLOR } from './theme.js';

export interface SecretInputProps {
  field: Field;
  hasValue: boolean;
  onAnswer: (raw: string) => void;
  onError: (message: string | null) => void;
}

/** A dry run needs no real secret: say so where the value would be typed. */
const DRY_HINT = 'dry run: Enter leaves it empty';

/**
 * A masked input, never pre-filled. A field that must be typed twice keeps the
 * first entry only in a ref of this component (never in wizard state or on
 * screen) and hands the value on once both entries match. The line editor
 * shows one "*" per character, never the text.
 */
export function SecretInput({ field, hasValue, onAnswer, onError }: SecretInputProps) {
  const first = useRef<string | null>(null);
  const [again, setAgain] = useState(false);
  // Remounting the input clears it (and it takes what was typed ahead).
  const [gen, setGen] = useState(0);
  const reset = () => setGen((g) => g + 1);
  const submit = (v: string) => {
    if (v === '' && (hasValue || field.secret?.dryRun || field.optional) && !again) return onAnswer('');
    if (!field.secret?.confirm) return onAnswer(v);
    if (!again) {
      const r = parseSecret(field, v);
      if (!r.ok) {
        reset();
        return onError(r.error);
      }
      first.current = v;
      onError(null);
      setAgain(true);
      return reset();
    }
    const same = v.replace(/[\r\n]+$/, '') === first.current?.replace(/[\r\n]+$/, '');
    first.current = null;
    setAgain(false);
    reset();
    if (same) onAnswer(v);
    else onError('the two entries differ: type it again');
  };
  return (
    <>
      {again ? <Text color={COLOR.accent}>type it again to confirm:</Text> : null}
      <LineInput
        key={gen}
        mask
        placeholder={
          again
            ? ''
            : hasValue
              ? 'set (hidden): Enter keeps it, or type a new value'
              : field.optional
                ? '(Enter for none)'
                : field.secret?.dryRun
                  ? DRY_HINT
                  : ''
        }
        onSubmit={submit}
      />
    </>
  );
}
