/**
 * The answers schema read through zod's own definitions: the keys an object accepts (for "did you
 * mean") and the bounds of a number (for "from 1 to 65535"), so the messages never copy the schema.
 */

/** Walks the schema one level: the keys an object accepts, the child schema at a key. */
export interface SchemaLookup {
  /** The keys the object at this path accepts (null when it is no object the lookup knows). */
  keysAt(path: PropertyKey[]): string[] | null;
  /** The inclusive bounds of the number at this path, when it has any. */
  rangeAt(path: PropertyKey[]): { min?: number; max?: number; int: boolean } | null;
}

type ZodLike = { _zod: { def: { type: string; innerType?: ZodLike; element?: ZodLike; options?: ZodLike[]; shape?: Record<string, ZodLike> } } };

const zdef = (s: ZodLike) => s._zod.def;

function unwrapZod(s: ZodLike | undefined): ZodLike | undefined {
  let cur = s;
  while (cur && ['default', 'optional', 'nullable', 'prefault', 'pipe', 'readonly'].includes(zdef(cur).type) && zdef(cur).innerType) cur = zdef(cur).innerType;
  return cur;
}

/** The members a schema can take here: the options of a union, or itself. */
function members(s: ZodLike | undefined): ZodLike[] {
  const u = unwrapZod(s);
  if (!u) return [];
  return zdef(u).type === 'union' ? (zdef(u).options ?? []).flatMap(members) : [u];
}

function childSchemas(s: ZodLike | undefined, seg: PropertyKey): ZodLike[] {
  return members(s).flatMap((m) => {
    const d = zdef(m);
    if (d.type === 'array') return d.element ? [d.element] : [];
    const shape = (m as unknown as { shape?: Record<string, ZodLike> }).shape;
    return shape && String(seg) in shape ? [shape[String(seg)]] : [];
  });
}

function schemasAt(root: ZodLike, path: readonly PropertyKey[]): ZodLike[] {
  let cur = [root];
  for (const seg of path) cur = cur.flatMap((s) => childSchemas(s, seg));
  return cur;
}

/** A SchemaLookup over a zod schema (the answers schema): keys of objects, bounds of numbers. */
export function zodLookup(root: unknown): SchemaLookup {
  const r = root as ZodLike;
  return {
    keysAt(path) {
      const keys = schemasAt(r, path)
        .flatMap(members)
        .flatMap((m) => Object.keys((m as unknown as { shape?: object }).shape ?? {}));
      return keys.length ? [...new Set(keys)] : null;
    },
    rangeAt(path) {
      const n = schemasAt(r, path)
        .flatMap(members)
        .find((m) => zdef(m).type === 'number') as unknown as { minValue: number | null; maxValue: number | null; isInt: boolean } | undefined;
      if (!n) return null;
      const ok = (x: number | null) => (x !== null && Number.isFinite(x) && Math.abs(x) < Number.MAX_SAFE_INTEGER ? x : undefined);
      return { min: ok(n.minValue), max: ok(n.maxValue), int: n.isInt };
    },
  };
}
