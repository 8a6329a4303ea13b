// The layers import downward only (DESIGN.md): core → answers → plan → templates → steps → exec →
// facts → rollout → ui → cli. This reads every import in the source tree and fails on an upward
// edge, a cycle between folders or between files, and on process or file access outside src/exec.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../', import.meta.url));

/** Lowest first. A module may import its own layer and any layer before it. */
export const LAYERS = ['core', 'answers', 'plan', 'templates', 'steps', 'export', 'exec', 'facts', 'rollout', 'ui', 'cli'] as const;
type Layer = (typeof LAYERS)[number];

function layerOf(file: string): Layer | null {
  const rel = relative(ROOT, file).split('/');
  if (rel[0] === 'templates' || rel[0] === 'steps') return rel[0];
  if (rel[0] === 'src' && rel[1] && (LAYERS as readonly string[]).includes(rel[1])) return rel[1] as Layer;
  return null;
}

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    if (statSync(p).isDirectory()) return sources(p);
    return /\.tsx?$/.test(n) ? [p] : [];
  });
}

const FILES = ['src', 'steps', 'templates'].flatMap((d) => sources(join(ROOT, d)));
const IMPORT = /(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;

interface Edge {
  from: string;
  to: string;
  fromLayer: Layer;
  toLayer: Layer;
}

function edges(): { edges: Edge[]; external: Map<string, string[]> } {
  const out: Edge[] = [];
  const external = new Map<string, string[]>();
  for (const f of FILES) {
    const fromLayer = layerOf(f);
    if (!fromLayer) continue;
    for (const m of readFileSync(f, 'utf8').matchAll(IMPORT)) {
      const spec = m[1] ?? m[2];
      if (!spec.startsWith('.')) {
        external.set(f, [...(external.get(f) ?? []), spec]);
        continue;
      }
      const target = normalize(join(dirname(f), spec));
      const toLayer = layerOf(target);
      if (toLayer) out.push({ from: relative(ROOT, f), to: relative(ROOT, target), fromLayer, toLayer });
    }
  }
  return { edges: out, external };
}

const rank = (l: Layer) => LAYERS.indexOf(l);

/** The circles a depth-first walk meets, each as "a → b → … → a" (at least one when the graph has any). */
function findCycles(graph: Map<string, Iterable<string>>): string[] {
  const seen = new Set<string>();
  const stack: string[] = [];
  const cycles: string[] = [];
  const visit = (n: string) => {
    if (stack.includes(n)) {
      cycles.push([...stack.slice(stack.indexOf(n)), n].join(' → '));
      return;
    }
    if (seen.has(n)) return;
    seen.add(n);
    stack.push(n);
    for (const m of graph.get(n) ?? []) visit(m);
    stack.pop();
  };
  for (const n of graph.keys()) visit(n);
  return cycles;
}

describe('layers', () => {
  const { edges: all, external } = edges();

  it('reads a real import graph', () => {
    expect(FILES.length).toBeGreaterThan(80);
    expect(all.length).toBeGreaterThan(200);
    // every layer is present and used
    for (const l of LAYERS)
      expect(
        all.some((e) => e.fromLayer === l),
        l,
      ).toBe(true);
  });

  it('no module imports a layer above its own', () => {
    const upward = all.filter((e) => rank(e.toLayer) > rank(e.fromLayer)).map((e) => `${e.from} (${e.fromLayer}) → ${e.to} (${e.toLayer})`);
    expect(upward).toEqual([]);
  });

  it('no cycle between folders', () => {
    const graph = new Map<string, Set<string>>();
    for (const e of all) {
      if (e.fromLayer === e.toLayer) continue;
      if (!graph.has(e.fromLayer)) graph.set(e.fromLayer, new Set());
      graph.get(e.fromLayer)!.add(e.toLayer);
    }
    expect(findCycles(graph)).toEqual([]);
  });

  it('no cycle between files (a static, type-only or dynamic import each counts)', () => {
    // A file circle is a folder circle waiting to happen, and makes load order matter.
    const known = new Set(FILES.map((f) => relative(ROOT, f)));
    const file = (p: string) => [p.replace(/\.js$/, '.ts'), p.replace(/\.js$/, '.tsx'), p].find((c) => known.has(c)) ?? p;
    const graph = new Map<string, string[]>();
    for (const e of all) graph.set(e.from, [...(graph.get(e.from) ?? []), file(e.to)]);
    // every import resolved to a file of the tree, so no edge is lost to a spelling
    expect([...graph.values()].flat().filter((t) => !known.has(t))).toEqual([]);
    expect(graph.size).toBeGreaterThan(80);
    expect(findCycles(graph)).toEqual([]);
  });

  it('the cycle walk finds a circle when there is one', () => {
    const g = new Map([
      ['a', ['b']],
      ['b', ['c', 'd']],
      ['c', ['a']],
      ['d', ['d']],
      ['e', ['a']],
    ]);
    expect(findCycles(g)).toEqual(['a → b → c → a', 'd → d']);
    expect(
      findCycles(
        new Map([
          ['a', ['b']],
          ['b', []],
        ]),
      ),
    ).toEqual([]);
  });

  it('only src/exec spawns processes or writes files (ui may mount Ink; the CLI entry reads stdin facts)', () => {
    const FORBIDDEN = /^(node:)?(child_process|execa)$/;
    const offenders = [...external.entries()]
      .filter(([f, specs]) => layerOf(f) !== 'exec' && specs.some((s) => FORBIDDEN.test(s)))
      .map(([f]) => relative(ROOT, f));
    expect(offenders).toEqual([]);
    const writers = FILES.filter(
      (f) => layerOf(f) !== 'exec' && /\b(writeFileSync|appendFileSync|mkdirSync|rmSync|chmodSync|renameSync)\b/.test(readFileSync(f, 'utf8')),
    ).map((f) => relative(ROOT, f));
    expect(writers).toEqual([]);
  });
});
