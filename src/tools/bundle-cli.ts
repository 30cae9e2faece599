import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build, type Plugin } from 'esbuild';

/**
 * Bundles the CLI into dist/cli (issue 11: a run that checks one patch is a process of its own, so
 * what it loads and compiles before the check is paid by every patch b4 or a hook checks):
 * - p2pcheck.js, the `bin`: a loader (below) that runs two CommonJS scripts, each compiled with
 *   V8's code cache of it, which the build makes;
 * - start-<hash>.js: everything a run needs before it knows it needs the engine (the options, the
 *   configuration, reading the input, the pre-filter, the text and JSON output) in one file;
 * - engine-<hash>.js: the engine (src/engine/lint.ts with the analysis, the rules, the catalogue and
 *   web-tree-sitter), run when a patch passes the pre-filter;
 * - lib/: what else a run loads on demand (the rules for --list-rules, the mail library, the mail
 *   pool, the directory scan, the language server...) and the worker threads, as ESM chunks.
 * CommonJS scripts and not ES modules because Node 20 can only give a code cache to a script
 * (vm.Script cachedData; module.enableCompileCache is Node 22), and because the ESM loader itself
 * costs a plain run ~10 ms of CPU (its own internal modules, and resolving and loading each chunk).
 * Packages are bundled too, except the tree-sitter .wasm files, found in node_modules as before.
 */
const out = join(process.cwd(), 'dist', 'cli');
const lib = join(out, 'lib');
/** The engine's module, which the start-up script imports as ENGINE_ID (the loader runs it). */
const ENGINE = resolve('src/engine/lint.ts');
const ENGINE_ID = 'p2pcheck:engine';

async function main(): Promise<void> {
  rmSync(out, { recursive: true, force: true });
  const tokens = await ruleTokensAsData();
  const lazy = new Map<string, string>(); // source file -> its entry in lib
  const start = await script('start', 'src/cli/main.ts', [tokens, lazyImports(lazy)]);
  const engine = await script('engine', ENGINE, [tokens]);
  // the folder is CommonJS for the loader and the scripts (the package is "type": "module")
  writeFileSync(join(out, 'package.json'), `${JSON.stringify({ type: 'commonjs' })}\n`);
  // what else the start-up script loads on demand, and the worker threads (found beside the chunk that starts them)
  await build({
    entryPoints: { ...Object.fromEntries([...lazy].map(([file, name]) => [name, file])), 'scan-worker': 'src/engine/scan-worker.ts', 'mail-worker': 'src/engine/mail-worker.ts', 'lint-worker': 'src/server/lint-worker.ts' },
    outdir: lib,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    chunkNames: '[name]-[hash]',
    sourcemap: true,
    minifyWhitespace: true,
    logLevel: 'warning',
    // CommonJS packages bundled into ESM call require() for Node's own modules
    banner: { js: "import { createRequire as __p2pcheckRequire } from 'node:module'; const require = __p2pcheckRequire(import.meta.url);" },
    plugins: [tokens],
  });
  writeFileSync(join(lib, 'package.json'), `${JSON.stringify({ type: 'module' })}\n`);
  writeFileSync(join(out, 'p2pcheck.js'), loader(start, engine, false));
  chmodSync(join(out, 'p2pcheck.js'), 0o755);
  codeCaches(start, engine);
}

/**
 * One CommonJS script in dist/cli, `<name>-<hash of its content>.js`; returns its file name. It
 * runs as a vm.Script, where `import()` has no loader: each `import()` in it goes through the
 * loader's, which resolves it beside the loader (dist/cli) as before, or runs the engine script.
 */
async function script(name: string, entry: string, plugins: Plugin[]): Promise<string> {
  const result = await build({
    entryPoints: { [name]: entry },
    entryNames: '[name]-[hash]',
    outdir: out,
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    sourcemap: true,
    minifyWhitespace: true,
    logLevel: 'warning',
    metafile: true,
    // version.ts, c-parser.ts and web-tree-sitter find files from import.meta.url
    define: { 'import.meta.url': '__p2pcheckUrl' },
    banner: { js: 'var __p2pcheckUrl = require("node:url").pathToFileURL(__filename).href;' },
    plugins,
  });
  const [output, meta] = Object.entries(result.metafile.outputs).find(([f]) => f.endsWith('.js'))!;
  const file = join(out, basename(output));
  // (a #! line goes: node does not run the file itself; the line stays, empty, for the source map;
  // "use strict" comes first, before the banner, so that the script is strict code as the ES
  // modules it was made from were)
  const text = `"use strict";${readFileSync(file, 'utf8').replace(/^#!.*/, '')}`.replaceAll(/\bimport\(("[^"]+")\)/g, '__p2pcheckImport($1)');
  const dynamic = meta.imports.filter((i) => i.kind === 'dynamic-import');
  if (/\bimport\("/.test(text) || dynamic.some((i) => !text.includes(`__p2pcheckImport(${JSON.stringify(i.path)})`))) {
    throw new Error(`${basename(file)}: an import() the loader does not route`);
  }
  writeFileSync(file, text);
  return basename(file);
}

/**
 * The `bin`. It runs the start-up script, and the engine script when the start-up script imports
 * ENGINE_ID, each as a vm.Script compiled with its code cache (`<script>.cache`), which saves
 * compiling them, and the functions a run calls, at every start. A cache is named after its
 * script, whose name holds the hash of its content, so it is only ever read with the text it was
 * made from; V8 refuses one from another Node or V8 version or other V8 flags, and the script is
 * then compiled as without a cache. Nothing is written at run time (`make` is the build's run).
 */
function loader(start: string, engine: string, make: boolean): string {
  return [
    '#!/usr/bin/env node',
    "'use strict';",
    `// generated by src/tools/bundle-cli.ts: runs ${start} (and ${engine}) with the code caches the build made of them`,
    `const { readFileSync${make ? ', writeFileSync' : ''} } = require('node:fs');`,
    "const { wrap } = require('node:module');",
    "const { join } = require('node:path');",
    "const { Script } = require('node:vm');",
    ...(make ? ['const caches = [];', "process.on('exit', () => { for (const write of caches) write(); });"] : []),
    'function run(name) {',
    '  const file = join(__dirname, name);',
    "  const cache = file.replace(/\\.js$/, '.cache');",
    '  let cachedData;',
    '  try { cachedData = readFileSync(cache); } catch { cachedData = undefined; }',
    // V8 keeps the name a script had when its cache was made (stack traces show it): the build
    // gives the bare file name, not the build machine's path
    `  const script = new Script(wrap(readFileSync(file, 'utf8')).replace(/^\\(function \\(/, '(function (__p2pcheckImport, '), { filename: ${make ? 'name' : 'file'}, cachedData });`,
    ...(make ? [
      "  if (script.cachedDataRejected) throw new Error('V8 refused the code cache it made of ' + name);",
      '  caches.push(() => writeFileSync(cache, script.createCachedData()));',
    ] : []),
    '  const m = { exports: {} };',
    '  script.runInThisContext()(load, m.exports, require, m, file, __dirname);',
    '  return m.exports;',
    '}',
    'let engine;',
    'function load(id) {',
    `  return id === '${ENGINE_ID}' ? Promise.resolve().then(() => (engine ??= run('${engine}'))) : import(id);`,
    '}',
    `run('${start}');`,
    '',
  ].join('\n');
}

/**
 * Makes the code caches: the loader runs (as the bin, with `make`) on a patch the pre-filter
 * drops, then on a P2P patch (the example of test/examples) starting from the first run's caches,
 * and writes V8's cache of each script at exit, so that the caches hold the functions those runs
 * compiled as well as the top level.
 */
function codeCaches(start: string, engine: string): void {
  const make = join(out, 'make-code-caches.js');
  writeFileSync(make, loader(start, engine, true));
  const plain = join(out, 'plain.patch');
  writeFileSync(plain, PLAIN_PATCH);
  try {
    for (const args of [[plain], ['--format', 'json', '--fail-on', 'never', 'test/examples/p2p-example.patch']]) {
      const run = spawnSync(process.execPath, [make, ...args], { encoding: 'utf8' });
      if (run.status !== 0 || run.stderr) throw new Error(`code cache: p2pcheck ${args.join(' ')}: exit ${run.status} ${run.stderr}`);
    }
    for (const name of [start, engine]) if (!existsSync(join(out, name.replace(/\.js$/, '.cache')))) throw new Error(`code cache: no cache of ${name}`);
  } finally {
    rmSync(make, { force: true });
    rmSync(plain, { force: true });
  }
}

/** A patch with no P2P or DMA identifier: what the start-up script's cache is made on. */
const PLAIN_PATCH = `From: A Developer <dev@example.org>
Subject: [PATCH] lib: fix a typo in a comment

---
 lib/string.c | 2 +-
 1 file changed, 1 insertion(+), 1 deletion(-)

diff --git a/lib/string.c b/lib/string.c
--- a/lib/string.c
+++ b/lib/string.c
@@ -10,3 +10,3 @@
 #include <linux/string.h>
-/* retrun the length */
+/* return the length */
 size_t strlen(const char *s);
`;

/**
 * Each dynamic `import()` of the start-up script: of the engine, ENGINE_ID (the loader runs the
 * engine script); of anything else, `import('./lib/<name>.js')`, and its module an entry of the lib
 * build (recorded in `lazy`).
 */
function lazyImports(lazy: Map<string, string>): Plugin {
  return {
    name: 'lazy-imports',
    setup(b) {
      b.onResolve({ filter: /.*/ }, (args) => {
        if (args.kind !== 'dynamic-import' || args.path.startsWith('node:')) return undefined;
        const file = resolve(args.resolveDir, args.path.replace(/\.js$/, '.ts'));
        if (!existsSync(file)) return { errors: [{ text: `lazy import ${args.path}: ${file} not found` }] };
        if (file === ENGINE) return { path: ENGINE_ID, external: true };
        const name = relative(resolve('src'), file).replace(/\.ts$/, '').replaceAll(/[\\/]/g, '-');
        lazy.set(file, name);
        return { path: `./lib/${name}.js`, external: true };
      });
    },
  };
}

/**
 * Issue 11, start-up: the pre-filter's token table (rules/rule-tokens.ts) is derived from the
 * catalogue when its module loads, which made every run, a patch with no P2P identifier too, load
 * and evaluate the whole catalogue before it could drop the patch. The bundle holds the table as
 * data instead, computed here from the very module tsc built (dist/src/rules/rule-tokens.js: same
 * values, same isCandidate), so the catalogue loads only with the engine.
 */
async function ruleTokensAsData(): Promise<Plugin> {
  const built = await import(pathToFileURL(join(process.cwd(), 'dist', 'src', 'rules', 'rule-tokens.js')).href) as {
    RULE_TOKENS: Record<string, unknown>; RULE_IDS: readonly string[]; isCandidate: (...args: unknown[]) => boolean;
  };
  const contents = [
    '// generated by src/tools/bundle-cli.ts from rule-tokens.ts and the catalogue',
    `export const RULE_TOKENS = ${literal(built.RULE_TOKENS)};`,
    'export const RULE_IDS = Object.keys(RULE_TOKENS);',
    `export ${built.isCandidate.toString()}`,
  ].join('\n');
  if (JSON.stringify(Object.keys(built.RULE_TOKENS)) !== JSON.stringify(built.RULE_IDS)) throw new Error('rule-tokens: RULE_IDS is not the keys of RULE_TOKENS');
  return {
    name: 'rule-tokens-as-data',
    setup(b) {
      b.onLoad({ filter: /[\\/]src[\\/]rules[\\/]rule-tokens\.ts$/ }, () => ({ contents, loader: 'js' }));
    },
  };
}

/** A JavaScript literal of plain data (strings, numbers, booleans, arrays, objects, regular expressions). */
function literal(value: unknown): string {
  if (value instanceof RegExp) return value.toString();
  if (Array.isArray(value)) return `[${value.map(literal).join(', ')}]`;
  if (value === undefined) return 'undefined';
  if (value === null || ['string', 'number', 'boolean'].includes(typeof value)) return JSON.stringify(value);
  if (typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    return `{ ${Object.entries(value).map(([k, v]) => `${JSON.stringify(k)}: ${literal(v)}`).join(', ')} }`;
  }
  throw new Error(`rule-tokens: cannot write ${typeof value} ${String(value)} as data`);
}

main().catch((e: unknown) => {
  process.stderr.write(`bundle-cli: ${(e as Error).message.split('\n')[0]}\n`);
  process.exitCode = 1;
});
