import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll } from 'vitest';
import { VARIANTS, renderVariant, type RenderedFile, type Variant } from '../template-variants.js';
import { tempDir } from '../tool-runner.js';

// A real validator beside every snapshot (templates.test.ts), so a golden file
// can never freeze broken output. Needs (Debian/Ubuntu):
//   apt-get install -y openssh-server shellcheck systemd caddy fail2ban python3-systemd
// With CI=true a missing tool fails the test with that hint; locally it skips.
// Nothing here touches the host: every tool reads copies in a temp directory.
// One test file per template (test/templates/*.test.ts) so vitest runs the validators side by side.

/** Every variant's rendered files and a temp directory for the validators (removed after the calling file's tests). */
export function renderedFixture(name: string) {
  const tmp = tempDir(`validators-${name}`);
  afterAll(() => tmp.cleanup());
  const rendered = Object.fromEntries(VARIANTS.map((v) => [v, renderVariant(v)])) as Record<Variant, RenderedFile[]>;
  const filesOf = (kind: RenderedFile['kind']) =>
    VARIANTS.flatMap((v) => rendered[v].filter((f) => f.kind === kind).map((f) => [`${v}/${f.name}`, v, f] as const));
  const file = (v: Variant, name: string) => {
    const f = rendered[v].find((x) => x.name === name);
    if (!f) throw new Error(`${v} renders no ${name}`);
    return f;
  };
  function writeTemp(rel: string, text: string): string {
    const p = join(tmp.dir, rel);
    mkdirSync(dirname(p), { recursive: true });
    writeFileSync(p, text);
    return p;
  }
  return { tmp, rendered, filesOf, file, writeTemp };
}
