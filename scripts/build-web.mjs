/**
 * Builds the bidder web client into dist/web: esbuild bundles src/web/main.ts
 * (with the bidder SDK) and the style sheet under content-hashed names, and
 * index.html is written with those names. The orchestrator serves the folder.
 * The build goes to a new folder that then replaces dist/web in two renames,
 * so a running orchestrator never serves a half-written build.
 */
import { build } from 'esbuild';
import { copyFileSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const source = join(root, 'src', 'web');
const target = join(root, 'dist', 'web');
const out = `${target}.next-${process.pid}`;

rmSync(out, { recursive: true, force: true });
mkdirSync(join(out, 'assets'), { recursive: true });

const result = await build({
  entryPoints: { app: join(source, 'main.ts'), styles: join(source, 'styles.css') },
  outdir: join(out, 'assets'),
  entryNames: '[name]-[hash]',
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: ['es2022'],
  minify: true,
  sourcemap: 'linked',
  metafile: true,
  absWorkingDir: root,
  logLevel: 'warning',
});

const outputs = Object.keys(result.metafile.outputs).map((path) => relative(out, join(root, path)).split('\\').join('/'));
const script = outputs.find((path) => /^assets\/app-[^/]+\.js$/.test(path));
const styles = outputs.find((path) => /^assets\/styles-[^/]+\.css$/.test(path));
if (script === undefined || styles === undefined) {
  throw new Error(`esbuild did not write app-*.js and styles-*.css; it wrote ${outputs.join(', ')}`);
}

const page = readFileSync(join(source, 'index.html'), 'utf8').replace('{{script}}', `/${script}`).replace('{{styles}}', `/${styles}`);
writeFileSync(join(out, 'index.html'), page);
copyFileSync(join(source, 'favicon.svg'), join(out, 'assets', 'favicon.svg'));

const previous = `${target}.old-${process.pid}`;
if (existsSync(target)) {
  renameSync(target, previous);
}
renameSync(out, target);
rmSync(previous, { recursive: true, force: true });
console.log(`web client built in ${relative(root, target)}: ${basename(script)}, ${basename(styles)}`);
