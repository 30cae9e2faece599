import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { PROJECT_ROOT, projectPath } from '../helpers/paths.js';
import { RULES } from '../../src/rules/index.js';

/** What the .vsix and the npm tarball hold: only what runs, whatever lies around in the clone. */
const STRAY = [projectPath('p2pcheck-0.0.0-packtest.tgz'), projectPath('dist', 'packtest-unit-tests.tap')];
const EXTENSION_FILES = /^(package\.json|README\.md|LICENSE|syntaxes\/kernel-patch\.tmLanguage\.json|dist\/extension\/((extension|server|lint-worker)\.cjs|tree-sitter(-c)?\.wasm|docs\/R\d+\.md))$/;
// issue 11 (start-up): dist/cli is the loader p2pcheck.js, the start-up bundle and its V8 code cache
// (CommonJS, dist/cli/package.json), and lib/ the ESM chunks and workers it loads on demand
const NPM_FILES = /^(package\.json|README\.md|LICENSE|syntaxes\/kernel-patch\.tmLanguage\.json|dist\/extension\/((extension|server|lint-worker)\.cjs|tree-sitter(-c)?\.wasm|docs\/R\d+\.md)|dist\/src\/(?!tools\/)[\w/-]+\.js|dist\/cli\/([\w-]+\.(js|cache)|package\.json|lib\/([\w-]+\.js|package\.json)))$/;

function runIn(cwd: string, command: string, args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(command, args, { cwd, encoding: 'utf8', timeout: 120_000, maxBuffer: 64 * 1024 * 1024 });
  assert.equal(r.error, undefined, r.error?.message);
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('packages', () => {
  before(() => {
    // the extension bundle, as npm run package and the e2e run build it; and files a clone gathers
    assert.equal(runIn(PROJECT_ROOT, process.execPath, ['dist/src/tools/bundle-extension.js']).status, 0);
    for (const f of STRAY) writeFileSync(f, 'stray\n');
  });
  after(() => { for (const f of STRAY) rmSync(f, { force: true }); });

  test('the .vsix (vsce ls) holds the bundle, the wasm, the rule pages, the grammar, README and LICENSE only', () => {
    const r = runIn(PROJECT_ROOT, join(PROJECT_ROOT, 'node_modules', '.bin', 'vsce'), ['ls', '--no-dependencies']);
    assert.equal(r.status, 0, r.stderr);
    const files = r.stdout.split('\n').filter(Boolean).sort();
    for (const f of files) assert.match(f, EXTENSION_FILES);
    for (const f of ['LICENSE', 'README.md', 'package.json', 'dist/extension/extension.cjs', 'dist/extension/tree-sitter-c.wasm', 'dist/extension/docs/R2.md']) {
      assert.ok(files.includes(f), `${f} in the .vsix`);
    }
    assert.equal(files.filter((f) => f.startsWith('dist/extension/docs/')).length, RULES.length, 'one rule page per registered rule');
  });

  test('the npm tarball (npm pack --dry-run) holds the CLI, the bundle, README and LICENSE only', () => {
    const r = runIn(PROJECT_ROOT, 'npm', ['pack', '--dry-run', '--json', '--ignore-scripts']);
    assert.equal(r.status, 0, r.stderr);
    const files = (JSON.parse(r.stdout) as { files: { path: string }[] }[])[0]!.files.map((f) => f.path).sort();
    for (const f of files) assert.match(f, NPM_FILES);
    for (const f of ['LICENSE', 'dist/src/cli/main.js', 'dist/src/engine/scan-worker.js', 'dist/extension/extension.cjs', 'dist/cli/p2pcheck.js', 'dist/cli/package.json', 'dist/cli/lib/package.json', 'dist/cli/lib/lint-worker.js']) assert.ok(files.includes(f), `${f} in the tarball`);
  });

  test('LICENSE is the GPL-2.0 text the package declares; .gitignore keeps build outputs and tarballs out', () => {
    const pkg = JSON.parse(readFileSync(projectPath('package.json'), 'utf8')) as { license: string };
    assert.equal(pkg.license, 'GPL-2.0-only');
    assert.match(readFileSync(projectPath('LICENSE'), 'utf8'), /^\s+GNU GENERAL PUBLIC LICENSE\n\s+Version 2, June 1991\n/);
    const r = runIn(PROJECT_ROOT, 'git', ['check-ignore', 'p2pcheck-0.1.0.tgz', 'dist/unit-tests.tap', 'dist/p2pcheck.vsix', 'node_modules/x']);
    assert.equal(r.stdout.split('\n').filter(Boolean).length, 4, r.stdout);
  });
});

describe('set-up', () => {
  test('npm run example: the findings, a word on the exit code, and exit 0 so that && goes on', () => {
    const script = (JSON.parse(readFileSync(projectPath('package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts.example!;
    const r = runIn(PROJECT_ROOT, 'sh', ['-c', script]); // the script itself, without its preexample build
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^drivers\/misc\/p2pdemo\/p2pdemo\.c:25: ERROR: R2 /m);
    assert.match(r.stdout, /would exit 1/);
  });

  test('a missing ../shared: one line saying what is missing and where, before any test runs', () => {
    const lonely = mkdtempSync(join(tmpdir(), 'p2pcheck-noshared-'));
    try {
      const r = runIn(PROJECT_ROOT, process.execPath, ['dist/src/tools/check-shared.js', join(lonely, 'p2pcheck')]);
      assert.equal(r.status, 1);
      assert.match(r.stderr, /^p2pcheck: npm test needs the project's shared folder beside this clone .*: \S+\/shared does not exist\n$/);
      const ok = runIn(PROJECT_ROOT, process.execPath, ['dist/src/tools/check-shared.js']);
      assert.deepEqual([ok.status, ok.stderr], [0, '']);
      assert.ok(existsSync(projectPath('..', 'shared', 'corpus')));
    } finally {
      rmSync(lonely, { recursive: true, force: true });
    }
  });
});
