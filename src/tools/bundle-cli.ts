import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';

/**
 * Bundles the CLI into dist/cli: p2pcheck.js (the `bin`), scan-worker.js (the directory scan's
 * worker threads, found beside the bundle) and the chunks they load on demand. One file to read
 * and compile instead of ~60 modules, and what a patch does not need stays in chunks it never
 * loads: the rules, the analysis and the WASM parser (a patch the pre-filter drops), the mail
 * library (a plain diff), the worker pool (no directory). Packages are bundled too, except the
 * tree-sitter grammar's .wasm, which is found in node_modules as before.
 */
const out = join(process.cwd(), 'dist', 'cli');

async function main(): Promise<void> {
  rmSync(out, { recursive: true, force: true });
  await build({
    // the language server's worker thread is found beside the chunk that starts it
    entryPoints: { p2pcheck: 'src/cli/main.ts', 'scan-worker': 'src/engine/scan-worker.ts', 'mail-worker': 'src/engine/mail-worker.ts', 'lint-worker': 'src/server/lint-worker.ts' },
    outdir: out,
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
  });
}

main().catch((e: unknown) => {
  process.stderr.write(`bundle-cli: ${(e as Error).message.split('\n')[0]}\n`);
  process.exitCode = 1;
});
