// Build the web application into static files for `rapport serve`:
//   node build.mjs [OUT_DIR]   (default ../build/web)
// app.js from src/main.jsx by esbuild, with what only some screens need
// (the charts, the workbook writer) split into chunks loaded when first
// used; the page and the style sheet copied beside it.  Nothing is fetched
// at run time.
import { build } from 'esbuild';
import { copyFileSync, mkdirSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const out = resolve(process.argv[2] || join(here, '..', 'build', 'web'));
mkdirSync(out, { recursive: true });
rmSync(join(out, 'chunks'), { recursive: true, force: true });
const t0 = Date.now();
await build({
  entryPoints: [join(here, 'src', 'main.jsx')],
  bundle: true,
  minify: true,
  sourcemap: true,
  format: 'esm',
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  target: ['chrome110', 'firefox110', 'safari16'],
  jsx: 'automatic',
  jsxImportSource: 'preact',
  outdir: out,
  entryNames: 'app',
  logLevel: 'warning',
});
copyFileSync(join(here, 'index.html'), join(out, 'index.html'));
copyFileSync(join(here, 'src', 'app.css'), join(out, 'app.css'));
console.log(`web: built ${out} in ${Date.now() - t0} ms`);
