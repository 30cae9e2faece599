import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { build } from 'esbuild';
import { ruleMarkdown } from '../report/rule-docs.js';
import { RULES } from '../rules/index.js';

/**
 * Builds what the VS Code extension ships into dist/extension: the extension (a language client),
 * the language server with its analysis thread, and the e2e tests as CommonJS bundles (VS Code 1.100 loads extensions with require), the two tree-sitter .wasm files,
 * and one Markdown page per rule generated from the rules' metadata.
 */
const require = createRequire(import.meta.url);
const out = join(process.cwd(), 'dist', 'extension');

// import.meta.url does not exist in CommonJS; this gives the bundled ESM code the bundle's own URL.
const importMetaUrl = {
  banner: { js: "const __import_meta_url = require('node:url').pathToFileURL(__filename).href;" },
  define: { 'import.meta.url': '__import_meta_url' },
};

async function main(): Promise<void> {
  mkdirSync(join(out, 'docs'), { recursive: true });
  const common = {
    outdir: out, outExtension: { '.js': '.cjs' }, bundle: true, platform: 'node', format: 'cjs', target: 'node20',
    sourcemap: true, logLevel: 'warning', ...importMetaUrl,
  } as const;
  await build({ ...common, entryPoints: { extension: 'src/extension/extension.ts' }, external: ['vscode'] });
  // the language server the extension starts, and its analysis thread
  await build({ ...common, entryPoints: { server: 'src/server/main.ts', 'lint-worker': 'src/server/lint-worker.ts' } });
  await build({ ...common, entryPoints: { 'e2e/index': 'test/e2e/index.ts' }, external: ['vscode', 'mocha'] });
  copyFileSync(join(dirname(require.resolve('web-tree-sitter')), 'tree-sitter.wasm'), join(out, 'tree-sitter.wasm'));
  copyFileSync(require.resolve('tree-sitter-c/tree-sitter-c.wasm'), join(out, 'tree-sitter-c.wasm'));
  for (const rule of RULES) writeFileSync(join(out, 'docs', `${rule.meta.id}.md`), ruleMarkdown(rule));
}

main().catch((e: unknown) => {
  process.stderr.write(`bundle: ${(e as Error).message}\n`);
  process.exitCode = 1;
});
