import { z } from 'zod';
import { answersSchema } from '../../answers/schema.js';
import { getPath, type Path } from './draft.js';

/**
 * The piece of the answers schema at `path`, so a field typed in the wizard is
 * validated by exactly the rule that checks an answers file. Discriminated
 * unions (channels, access) are resolved by the discriminator in `draft`.
 */
type Any = z.ZodType & { _zod: { def: Record<string, unknown> } };

const def = (s: Any) => s._zod.def as { type: string; innerType?: Any; shape?: Record<string, Any>; element?: Any; options?: Any[]; discriminator?: string };

function unwrap(s: Any): Any {
  let cur = s;
  for (;;) {
    const d = def(cur);
    if ((d.type === 'default' || d.type === 'optional' || d.type === 'nullable' || d.type === 'prefault') && d.innerType) cur = d.innerType;
    else return cur;
  }
}

function shapeOf(s: Any): Record<string, Any> | undefined {
  return (s as unknown as { shape?: Record<string, Any> }).shape;
}

/** Walks one level into `s` along `seg`, using `here` (the draft at this level) to pick a union member. */
function step(s: Any, seg: string | number, here: unknown): Any | undefined {
  const inner = unwrap(s);
  const d = def(inner);
  if (d.type === 'array' && typeof seg === 'number') return d.element;
  if (d.type === 'union' && d.options) {
    const disc = (inner as unknown as { _zod: { def: { discriminator?: string } } })._zod.def.discriminator ?? 'type';
    // The discriminator itself: any member's literal is valid.
    if (seg === disc) return z.union(d.options.map((o) => shapeOf(o)![disc]) as unknown as [Any, Any]) as unknown as Any;
    const want = here && typeof here === 'object' ? (here as Record<string, unknown>)[disc] : undefined;
    const member = d.options.find((o) => {
      const lit = shapeOf(o)?.[disc] as unknown as { _zod: { def: { values?: unknown[] } } } | undefined;
      return lit?._zod.def.values?.includes(want);
    });
    return member ? shapeOf(member)?.[String(seg)] : undefined;
  }
  return shapeOf(inner)?.[String(seg)];
}

export function schemaAt(path: Path, draft: unknown = {}): z.ZodType {
  let cur: Any = answersSchema as unknown as Any;
  for (let i = 0; i < path.length; i++) {
    const next = step(cur, path[i], getPath(draft, path.slice(0, i)));
    if (!next) throw new Error(`no answers schema at ${path.slice(0, i + 1).join('.')}`);
    cur = next;
  }
  return cur;
}

/** The schema default at `path` (undefined when the field has none). */
export function defaultAt(path: Path, draft: unknown = {}): unknown {
  const r = schemaAt(path, draft).safeParse(undefined);
  return r.success ? r.data : undefined;
}
