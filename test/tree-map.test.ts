// The tree and its map agree: every planner in steps/ has its test at test/steps/<name>.test.ts, every
// path the README's architecture section names (its layer diagram, its prose and the step → test
// table) exists, and the answers fixtures the tests loop over are the files in test/fixtures/answers.
// Files move often (issue 22); this keeps the map from going stale by hand.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURES } from './helpers.js';

const ROOT = new URL('..', import.meta.url).pathname;
/** The architecture page: the layer diagram, its prose and the step → test table (the README links it). */
const architectureSection = (): string => readFileSync(join(ROOT, 'docs/architecture.md'), 'utf8');

/** The pages people read: the README and every page under docs/. */
const PAGES = [
  'README.md',
  ...readdirSync(join(ROOT, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => `docs/${f}`),
];

/**
 * Every repository path a page names, as [page, how it was written, the path to check]: backticked
 * tokens that start at a top-level folder (`src/…`, `test/…`, `docs/…`), and relative Markdown links.
 */
function pagePaths(page: string, text: string): [string, string, string][] {
  const out: [string, string, string][] = [];
  for (const m of text.matchAll(/`([^`\s]+)`/g)) {
    const t = m[1].replace(/[.,:;)]+$/, '');
    // `templates/STEP/PATH.j2`, `steps/<name>.ts`: a pattern with placeholders, not a path
    if (TOP.test(t) && !t.includes('<') && !/(^|\/)[A-Z]{3,}(\/|\.|$)/.test(t)) out.push([page, t, t]);
  }
  for (const m of text.matchAll(/\]\(([^)#\s]+)(#[^)]*)?\)/g)) {
    const link = m[1];
    if (/^[a-z]+:/.test(link)) continue; // https:, mailto:
    out.push([page, link, join(page.includes('/') ? page.slice(0, page.lastIndexOf('/')) : '', link)]);
  }
  return out;
}

/** The paths under ROOT that `pattern` names; `*` matches within one path segment. */
function matches(pattern: string): string[] {
  let found = [''];
  for (const seg of pattern.split('/').filter(Boolean)) {
    if (!seg.includes('*')) {
      found = found.map((p) => join(p, seg)).filter((p) => existsSync(join(ROOT, p)));
      continue;
    }
    const re = new RegExp(`^${seg.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*')}$`);
    found = found.flatMap((p) => {
      const dir = join(ROOT, p);
      if (!existsSync(dir) || !statSync(dir).isDirectory()) return [];
      return readdirSync(dir)
        .filter((e) => re.test(e))
        .map((e) => join(p, e));
    });
  }
  return found;
}

const TOP = /^(steps|src|templates|test|snapshots|bin|examples|scripts|docs)\//;

/**
 * Every file the section names, as [how it was written, the path to check]. Backticked tokens: a
 * path from the repository root, `name.e2e` for test/e2e/name.e2e.test.ts, or a bare `file.ts`
 * beside the last path on the same line (the table writes `steps/base.ts`, `user.ts`). In the
 * layer diagram, a line that starts with a folder names files in that folder.
 */
function namedPaths(section: string): [string, string][] {
  const out: [string, string][] = [];
  let inBlock = false;
  let folder = '';
  for (const line of section.split('\n')) {
    if (line.startsWith('```')) {
      inBlock = !inBlock;
      continue;
    }
    if (inBlock) {
      const head = /^(src\/\w+|templates|steps)\/?\s/.exec(line);
      if (head) folder = head[1];
      for (const m of line.matchAll(/(?<![\w/.-])([\w-]+\.tsx?)\b/g)) out.push([m[1], `${folder}/${m[1]}`]);
      continue;
    }
    let dir = '';
    for (const m of line.matchAll(/`([^`\s]+)`/g)) {
      const t = m[1];
      if (t.includes('<')) continue; // a pattern such as test/steps/<name>.test.ts, not a path
      if (TOP.test(t)) {
        out.push([t, t]);
        dir = t.slice(0, t.lastIndexOf('/'));
      } else if (/^[\w.-]+\.e2e$/.test(t)) out.push([t, `test/e2e/${t}.test.ts`]);
      else if (/^[\w.-]+\.tsx?$/.test(t)) out.push([t, dir ? `${dir}/${t}` : t]);
    }
  }
  return out;
}

describe('the tree and its map', () => {
  it('every planner in steps/ has its own test file, test/steps/<name>.test.ts', () => {
    const planners = readdirSync(join(ROOT, 'steps'))
      .filter((f) => f.endsWith('.ts') && !['index.ts', 'helpers.ts'].includes(f))
      .map((f) => f.slice(0, -3));
    expect(planners.length).toBeGreaterThan(20);
    expect(planners.filter((n) => !existsSync(join(ROOT, 'test/steps', `${n}.test.ts`)))).toEqual([]);
  });

  it('every path the README and the docs pages name exists (backticked paths and links)', () => {
    const named = PAGES.flatMap((p) => pagePaths(p, readFileSync(join(ROOT, p), 'utf8')));
    expect(named.length).toBeGreaterThan(100);
    expect(named.filter(([, , p]) => matches(p).length === 0).map(([page, w]) => `${page}: ${w}`)).toEqual([]);
  });

  it('the page reader finds a missing file, a link and a path, and skips patterns and URLs', () => {
    const named = pagePaths(
      'docs/x.md',
      '`templates/deadman.ts` and `steps/<name>.ts`, `snapshots/export/VARIANT/`, [a](speed.md), [b](https://x.y/z), [c](../README.md#top)',
    );
    expect(named.map(([, , p]) => p)).toEqual(['templates/deadman.ts', 'docs/speed.md', 'README.md']);
    expect(named.filter(([, , p]) => matches(p).length === 0).map(([, w]) => w)).toEqual(['templates/deadman.ts']);
  });

  it('every path the architecture page names exists', () => {
    const named = namedPaths(architectureSection());
    // The section names the step planners, their tests and the e2e files: far more than a handful.
    expect(named.length).toBeGreaterThan(60);
    expect(named.filter(([, p]) => matches(p).length === 0).map(([w, p]) => (w === p ? w : `${w} (${p})`))).toEqual([]);
  });

  it('the step → test table names a test file for every planner', () => {
    const table = architectureSection()
      .split('\n')
      .filter((l) => l.startsWith('| ') && !l.startsWith('| step ') && !l.startsWith('|---'));
    const cells = table.map((l) => l.split(' | ')[2] ?? '');
    expect(cells.filter((c) => !/`test\//.test(c))).toEqual([]);
    const planners = readdirSync(join(ROOT, 'steps'))
      .filter((f) => f.endsWith('.ts') && !['index.ts', 'helpers.ts'].includes(f))
      .map((f) => `test/steps/${f.replace(/\.ts$/, '.test.ts')}`);
    expect(planners.filter((t) => !table.some((l) => l.includes(t)))).toEqual([]);
  });

  it('the map reader finds what it should, and a missing file', () => {
    const sample = [
      '| ssh | `steps/ssh.ts`, `firewall.ts` | `test/steps/ssh.test.ts` | `rollout.e2e`, `gone.e2e` |',
      '```',
      'steps/   planners; index.ts',
      '```',
    ];
    const named = namedPaths(sample.join('\n'));
    expect(named.map(([, p]) => p)).toEqual([
      'steps/ssh.ts',
      'steps/firewall.ts',
      'test/steps/ssh.test.ts',
      'test/e2e/rollout.e2e.test.ts',
      'test/e2e/gone.e2e.test.ts',
      'steps/index.ts',
    ]);
    expect(named.filter(([, p]) => matches(p).length === 0).map(([w]) => w)).toEqual(['gone.e2e']);
    expect(matches('steps/lockdown*.ts')).toEqual(['steps/lockdown-config.ts', 'steps/lockdown-exposure.ts', 'steps/lockdown.ts']);
  });

  it('the answers fixtures the tests loop over are exactly the files in test/fixtures/answers', () => {
    const files = readdirSync(join(ROOT, 'test/fixtures/answers'))
      .filter((f) => f.endsWith('.json5'))
      .map((f) => f.slice(0, -6));
    expect([...FIXTURES].sort()).toEqual(files.sort());
  });
});
