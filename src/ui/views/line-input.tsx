import { Text, useStdin } from 'ink';
import { createContext, useContext, useEffect, useLayoutEffect, useRef, useState } from 'react';
import { applyChunk, lineOf, type Line } from '../wizard/line-edit.js';
import { TypeAhead, type LineTake } from '../wizard/type-ahead.js';

/** The app's one input router (src/ui/app.tsx); a LineInput mounted without it listens to Ink itself. */
export const TypeAheadContext = createContext<TypeAhead | null>(null);

/** Feeds Ink's raw input to a router for as long as the component is mounted. */
export function useTypeAheadSource(router: TypeAhead): void {
  const { internal_eventEmitter: emitter, setRawMode, isRawModeSupported } = useStdin();
  useLayoutEffect(() => {
    emitter.on('input', router.feed);
    return () => void emitter.off('input', router.feed);
  }, [emitter, router]);
  useEffect(() => {
    if (!isRawModeSupported) return;
    setRawMode(true);
    return () => setRawMode(false);
  }, [isRawModeSupported, setRawMode]);
}

function useRouter(): TypeAhead {
  const shared = useContext(TypeAheadContext);
  const own = useRef<TypeAhead | null>(null);
  if (!shared && !own.current) own.current = new TypeAhead();
  return shared ?? own.current!;
}

/** Listens only when there is no shared router (hooks must run unconditionally, so it is a component). */
function OwnSource({ router }: { router: TypeAhead }) {
  useTypeAheadSource(router);
  return null;
}

export interface LineInputProps {
  defaultValue?: string;
  placeholder?: string;
  /** Show one "*" per character instead of the text (a secret); the value is never drawn. */
  mask?: boolean;
  onChange?: (value: string) => void;
  onSubmit: (value: string) => void;
}

const chars = (s: string) => Array.from(s);

/**
 * A one-line text field on the pure line editor (src/ui/wizard/line-edit.ts):
 * every key of a read is applied in order, readline keys work, and keys typed
 * just before it mounted (after the previous field's Enter) are applied first.
 */
export function LineInput({ defaultValue = '', placeholder = '', mask = false, onChange, onSubmit }: LineInputProps) {
  const router = useRouter();
  const shared = useContext(TypeAheadContext) !== null;
  // The line lives in a ref: one read may be applied before React renders the previous one.
  const line = useRef<Line>(lineOf(defaultValue));
  const [shown, setShown] = useState<Line>(line.current);
  const submitted = useRef(false);
  const props = useRef({ onChange, onSubmit });
  props.current = { onChange, onSubmit };

  const take = useRef((raw: string): LineTake => {
    if (submitted.current) return null;
    const before = line.current.value;
    const r = applyChunk(line.current, raw);
    line.current = r.line;
    // A new object: this re-renders even when the parent does not, so a field that stays after Enter takes input again.
    setShown({ ...r.line });
    if (r.line.value !== before) props.current.onChange?.(r.line.value);
    if (r.submitted) {
      submitted.current = true;
      props.current.onSubmit(r.line.value);
    }
    return { submitted: r.submitted, rest: r.rest };
  }).current;

  // Every commit: this field (still) has focus; a submit that kept it here takes input again.
  useLayoutEffect(() => {
    submitted.current = false;
    return router.focus(take);
  });

  return (
    <>
      {shared ? null : <OwnSource router={router} />}
      <Text>{render(shown, mask, placeholder)}</Text>
    </>
  );
}

function render(l: Line, mask: boolean, placeholder: string) {
  if (!l.value) {
    if (!placeholder) return <Text inverse> </Text>;
    const [first, ...more] = chars(placeholder);
    return (
      <>
        <Text inverse>{first}</Text>
        <Text dimColor>{more.join('')}</Text>
      </>
    );
  }
  const head = chars(l.value.slice(0, l.cursor));
  const tail = chars(l.value.slice(l.cursor));
  const draw = (cs: string[]) => (mask ? '*'.repeat(cs.length) : cs.join(''));
  return (
    <>
      {draw(head)}
      <Text inverse>{tail.length ? draw(tail.slice(0, 1)) : ' '}</Text>
      {draw(tail.slice(1))}
    </>
  );
}
