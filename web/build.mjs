// Build the web application into static files for `rapport serve`:
//   node build.mjs [OUT_DIR]   (default ../build/web)
// app.js from src/main.jsx by esbuild, with what only some screens need
// (the charts, the workbook writer) split into chunks loaded when first
// used; the page (with hints to fetch early what app.js asks first) and the style sheet beside it.  Nothing is fetched
// at run time.
import { build } from 'esbuild';
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const out = resolve(process.argv[2] || join(here, '..', 'build', 'web'));
mkdirSync(out, { recursive: true });
rmSync(join(out, 'chunks'), { recursive: true, force: true });
const t0 = Date.now();
const result = await build({
  metafile: true,
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
// The page, told what app.js imports at once (the shared chunk) and that the first thing it asks is
// who is signed in: the browser fetches them while app.js is still read, not after.
const app = Object.entries(result.metafile.outputs).find(([, o]) => o.entryPoint)?.[1];
const eager = (app?.imports || []).filter((i) => i.kind === 'import-statement').map((i) => i.path.replace(/^.*?chunks\//, 'chunks/'));
const hints = [...eager.map((c) => `<link rel="modulepreload" href="${c}">`),
  '<link rel="preload" href="api/v1/session" as="fetch" crossorigin="anonymous">'].join('\n');
writeFileSync(join(out, 'index.html'), readFileSync(join(here, 'index.html'), 'utf8').replace('<!-- hints -->', hints));
copyFileSync(join(here, 'src', 'app.css'), join(out, 'app.css'));
console.log(`web: built ${out} in ${Date.now() - t0} ms`);
