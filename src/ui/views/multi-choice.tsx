import { MultiSelect } from '@inkjs/ui';
import { useEffect, useRef, useState } from 'react';
import type { Option } from '../wizard/types.js';

export interface MultiChoiceProps {
  options: Option[];
  defaultValue: string[];
  visibleOptionCount: number;
  onSubmit: (value: string[]) => void;
}

/**
 * @inkjs/ui's MultiSelect, submitting what is ticked after every key so far. Its own Enter sends
 * the value of the last render, so a space and an Enter that arrive before React renders again
 * (a fast typist, a paste, a starved CPU) lost the last tick: "Model providers: none". Here Enter
 * only marks the submit; the value goes out after that render, from MultiSelect's onChange (a
 * child's effect, so it has run by the time this component's effect does).
 */
export function MultiChoice({ options, defaultValue, visibleOptionCount, onSubmit }: MultiChoiceProps) {
  const latest = useRef(defaultValue);
  const [submits, setSubmits] = useState(0);
  useEffect(() => {
    if (submits > 0) onSubmit(latest.current);
    // Only a new Enter submits (onSubmit is stable: useStable).
  }, [submits]);
  return (
    <MultiSelect
      options={options}
      defaultValue={defaultValue}
      visibleOptionCount={visibleOptionCount}
      onChange={(v) => (latest.current = v)}
      onSubmit={() => setSubmits((n) => n + 1)}
    />
  );
}
