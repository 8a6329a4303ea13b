/**
 * The draft: raw answers (the same shape as an answers file) being filled in
 * by the wizard. Plain JSON-like data, copied on write so reducer states never
 * share mutable objects.
 */
export type Path = readonly (string | number)[];
export type Draft = { [k: string]: unknown };

export function getPath(obj: unknown, path: Path): unknown {
  let cur: unknown = obj;
  for (const seg of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string | number, unknown>)[seg];
  }
  return cur;
}

/** A copy of `obj` with `path` set to `value` (intermediate objects and arrays created as needed). */
export function setPath<T>(obj: T, path: Path, value: unknown): T {
  if (path.length === 0) return value as T;
  const [head, ...rest] = path;
  const base: Record<string | number, unknown> = Array.isArray(obj)
    ? ([...obj] as unknown as Record<number, unknown>)
    : obj && typeof obj === 'object'
      ? { ...(obj as object) }
      : typeof head === 'number'
        ? ([] as unknown as Record<number, unknown>)
        : {};
  base[head] = setPath(base[head], rest, value);
  return base as T;
}

/** Deep copy of plain data. */
export function clone<T>(v: T): T {
  return v === undefined ? v : (JSON.parse(JSON.stringify(v)) as T);
}

export const pathKey = (path: Path): string => path.join('.');
