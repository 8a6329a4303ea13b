#!/usr/bin/env node
// Bundles the CLI into dist/bundle with esbuild. Why: Ink pulls in ~1,300 tiny modules (es-toolkit's
// barrel); resolving them one by one made the first wizard frame take over a second. Dynamic imports
// stay separate chunks, so `plan` never loads Ink or React.
import { build } from 'esbuild';
import { rmSync } from 'node:fs';

rmSync('dist/bundle', { recursive: true, force: true });
await build({
  entryPoints: { 'claw-setup': 'src/cli/entry.ts' },
  outdir: 'dist/bundle',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  minifySyntax: true,
  minifyWhitespace: true,
  legalComments: 'none',
  logLevel: 'warning',
  // Some dependencies are CommonJS and call require(); give the ESM bundle one.
  banner: { js: "import { createRequire as __claw_cr } from 'node:module'; const require = __claw_cr(import.meta.url);" },
  define: { 'process.env.NODE_ENV': '"production"' },
  // Ink loads its devtools only when DEV=true; the package is not installed.
  external: ['react-devtools-core'],
});
