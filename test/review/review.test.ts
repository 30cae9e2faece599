import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { ensurePackage, PACKAGE } from '../bench/kernel-tree.js';
import { CLI, CORPUS, projectPath } from '../helpers/paths.js';

/**
 * Reviewed baselines of real code (issue 10): every finding p2pcheck gives on the wild corpus
 * and on the whole Linux 6.12 tree was read by a reviewer, and the verdicts are kept in
 * test/review/*.tsv. A new finding, a lost one, a moved line or a changed severity fails here
 * until it is read; a verdict other than defensible (or a disputed one with its reasons) fails too.
 */
type Row = Record<string, string>;

function rowsOf(file: string): Row[] {
  const [head, ...lines] = readFileSync(projectPath('test', 'review', file), 'utf8').split('\n').filter(Boolean);
  const names = head!.split('\t');
  return lines.map((l) => Object.fromEntries(l.split('\t').map((v, i) => [names[i]!, v])));
}

interface Finding { rule: string; input: string; mail: number; path: string; line: number; severity: string }

function lint(args: string[], cwd?: string): Finding[] {
  const run = spawnSync(process.execPath, [CLI, '--format', 'json', '--fail-on', 'never', ...args], {
    cwd, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, timeout: 40 * 60_000,
  });
  assert.equal(run.status, 0, run.stderr.slice(0, 2000));
  return (JSON.parse(run.stdout) as { findings: Finding[] }).findings;
}

function assertReviewed(found: string[], rows: Row[], key: (r: Row) => string): void {
  for (const r of rows) assert.ok(['defensible', 'disputed'].includes(r.verdict!), `${key(r)}: ${r.verdict} (${r.reason})`);
  for (const r of rows.filter((x) => x.verdict === 'disputed')) assert.ok((r.reason ?? '').length > 80, `${key(r)}: a disputed verdict says why`);
  assert.deepEqual([...found].sort(), rows.map(key).sort(), 'the findings are exactly the reviewed ones');
}

describe('reviewed baselines of real code', () => {
  test('the wild corpus and the series: every finding read by a reviewer', () => {
    const found = lint(['--no-tree', join(CORPUS, 'wild'), join(CORPUS, 'series')])
      .map((f) => [f.rule, f.input.slice(f.input.indexOf('corpus/') + 'corpus/'.length), f.mail, f.path, f.line, f.severity].join(' '));
    assertReviewed(found, rowsOf('wild.tsv'), (r) => [r.rule, r.input, r.mail, r.path, r.line, r.severity].join(' '));
  });

  // the whole tree: Debian's linux-source-6.12 (apt-get when missing, as CI runs as root), unpacked once
  const FOLDERS = ['drivers', 'block', 'mm', 'kernel', 'lib', 'fs', 'net', 'sound', 'arch', 'include'];
  test('the Linux 6.12 tree: every finding read by a reviewer', { timeout: 60 * 60_000 }, (t) => {
    const cache = join(homedir(), '.cache', 'p2pcheck-tree');
    const root = join(cache, PACKAGE);
    if (!existsSync(join(root, 'drivers', 'Makefile'))) {
      const missing = ensurePackage(PACKAGE, `/usr/src/${PACKAGE}.tar.xz`);
      if (missing && !process.env.CI) return t.skip(missing);
      assert.equal(missing, undefined, missing);
      mkdirSync(cache, { recursive: true });
      const tar = spawnSync('tar', ['-xJf', `/usr/src/${PACKAGE}.tar.xz`, '-C', cache, '--wildcards', `${PACKAGE}/Makefile`,
        ...FOLDERS.map((f) => `${PACKAGE}/${f}/*`)], { stdio: ['ignore', 'ignore', 'pipe'] });
      assert.equal(tar.status, 0, tar.stderr?.toString());
    }
    const found = lint(FOLDERS.map((f) => join(root, f)), root)
      .map((f) => [f.rule, f.path.slice(root.length + 1), f.line, f.severity].join(' '));
    assertReviewed(found, rowsOf('linux-6.12.tsv'), (r) => [r.rule, r.path, r.line, r.severity].join(' '));
  });
});
