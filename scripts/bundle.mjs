#!/usr/bin/env node
// Bundles the CLI into dist/bundle with esbuild. Why: Ink pulls in ~1,300 tiny modules (es-toolkit's
// barrel); resolving them one by one made the first wizard frame take over a second. Dynamic imports
// stay separate chunks, so `plan` never loads Ink or React, and src/cli/entry.ts opens the wizard
// without loading the rest of the CLI. What the first frame parses is kept small (README "Start-up"):
// zod's 40 message translations are left out (it only ever speaks English here, and our schema
// writes its own messages), and identifiers are minified (CLAW_BUNDLE_NAMES=1 keeps them, for reading
// the stack of an internal error).
import { build } from 'esbuild';
import { rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** zod's `locales` namespace re-exports every language; keep only English, the one zod configures itself with. */
const zodEnglishOnly = {
  name: 'zod-english-only',
  setup(b) {
    const localesDir = join(dirname(createRequire(import.meta.url).resolve('zod/package.json')), 'v4', 'locales');
    b.onResolve({ filter: /\/locales\/index\.js$/ }, (args) =>
      args.importer.includes(`${join('node_modules', 'zod')}`) ? { path: 'zod-locales-en', namespace: 'zod-locales' } : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'zod-locales' }, () => ({
      contents: `export { default as en } from ${JSON.stringify(join(localesDir, 'en.js'))};`,
      loader: 'js',
      resolveDir: localesDir,
    }));
  },
};

rmSync('dist/bundle', { recursive: true, force: true });
await build({
  // bin/claw-setup loads errors.js only when the CLI threw, to map the error to its exit code.
  entryPoints: { 'claw-setup': 'src/cli/entry.ts', errors: 'src/core/errors.ts' },
  outdir: 'dist/bundle',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  minifySyntax: true,
  minifyWhitespace: true,
  minifyIdentifiers: process.env.CLAW_BUNDLE_NAMES !== '1',
  legalComments: 'none',
  logLevel: 'warning',
  plugins: [zodEnglishOnly],
  // Some dependencies are CommonJS and call require(); give the ESM bundle one.
  banner: { js: "import { createRequire as __claw_cr } from 'node:module'; const require = __claw_cr(import.meta.url);" },
  define: { 'process.env.NODE_ENV': '"production"' },
  // Ink loads its devtools only when DEV=true; the package is not installed.
  external: ['react-devtools-core'],
});
