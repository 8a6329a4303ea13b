import { useCallback, useRef } from 'react';

/**
 * A callback with a fixed identity that always calls the latest `fn`.
 * @inkjs/ui inputs re-run their onChange effect whenever the callback's
 * identity changes, which would replay an old value into the next question.
 */
export function useStable<A extends unknown[]>(fn: (...args: A) => void): (...args: A) => void {
  const ref = useRef(fn);
  ref.current = fn;
  return useCallback((...args: A) => ref.current(...args), []);
}
