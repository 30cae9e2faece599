import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, describe, test } from 'node:test';
import { readInput } from '../../src/input/read-input.js';
import { cli } from '../cli/run-cli.js';
import { CLI, LABELLED } from '../helpers/paths.js';

/**
 * "The same answer inside a kernel checkout": the labelled corpus linted from inside a kernel-like
 * tree gives the findings `--no-tree` gives. The trees are made here, from nothing but a Makefile
 * and the patches' own hunks.
 */
const tmp = mkdtempSync(join(tmpdir(), 'p2pcheck-corpus-tree-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

const PATCHES = readdirSync(LABELLED).filter((n) => n.endsWith('.patch')).sort().map((n) => join(LABELLED, n));
const MAKEFILE = 'VERSION = 6\nPATCHLEVEL = 12\nSUBLEVEL = 118\nEXTRAVERSION =\nNAME = Baby Opossum Posse\n';

interface Doc {
  findings: { input: string; rule: string; path: string; line: number; severity: string; era: string; message: string }[];
  errors: unknown[];
  notes?: { kind?: string; message: string }[];
}

function put(root: string, path: string, text: string): void {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), text);
}

function spawnIn(cwd: string, args: string[]): { code: number; doc: Doc; stderr: string } {
  const run = spawnSync(process.execPath, [CLI, '--format', 'json', '--fail-on', 'never', ...args], {
    cwd, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, timeout: 120_000,
  });
  return { code: run.status ?? -1, doc: JSON.parse(run.stdout) as Doc, stderr: run.stderr };
}

const shape = (doc: Doc) => doc.findings.map((f) => `${f.input.split('/').pop()} ${f.rule} ${f.path}:${f.line} ${f.severity} | ${f.era} | ${f.message}`);

describe('the labelled corpus inside a kernel checkout', () => {
  test('a 6.12 tree the patches do not apply to: the same findings, eras included, and only not-applied notes', () => {
    const tree = join(tmp, 'linux');
    put(tree, 'Makefile', MAKEFILE);
    // a few of the files the corpus patches touch, as another version of the kernel has them
    for (const path of ['drivers/nvme/host/pci.c', 'drivers/pci/p2pdma.c', 'mm/gup.c', 'drivers/infiniband/core/rw.c']) {
      put(tree, path, `// SPDX-License-Identifier: GPL-2.0\n#include <linux/kernel.h>\n\nstatic int unrelated(void)\n{\n\treturn 0;\n}\n`);
    }
    const fragments = spawnIn(tmp, ['--no-tree', ...PATCHES]);
    const inTree = spawnIn(tree, ['--stats', ...PATCHES]);
    assert.ok(fragments.doc.findings.length >= 30, `${fragments.doc.findings.length} findings`);
    assert.deepEqual(shape(inTree.doc), shape(fragments.doc));
    assert.deepEqual(inTree.doc.errors, []);
    const kinds = new Set((inTree.doc.notes ?? []).map((n) => n.kind));
    assert.deepEqual([...kinds], ['not-applied'], 'the tree was used (cwd is a kernel checkout), and no patch applied');
    assert.match(inTree.stderr, /tree .*: \d+ files did not apply, 0 fragment findings removed by tree context/);
    assert.doesNotMatch(inTree.stderr, /^p2pcheck: note/m, 'JSON: the notes are in the document, not on standard error');
  });

  test('a tree rebuilt from each patch\'s own pre-image: every patch applies, and every fragment finding stays, at the same line', async () => {
    let applied = 0;
    for (const patchFile of PATCHES) {
      const tree = join(tmp, `pre-${patchFile.split('/').pop()}`);
      put(tree, 'Makefile', MAKEFILE);
      for (const patch of await readInput(patchFile, readFileSync(patchFile))) {
        for (const file of patch.files) {
          if (file.status === 'added' || file.status === 'binary') continue;
          const lines: string[] = [];
          for (const hunk of file.hunks) {
            const old = hunk.lines.filter((l) => l.kind !== '+').map((l) => l.text);
            while (lines.length < hunk.oldStart - 1) lines.push('');
            lines.splice(hunk.oldStart - 1, old.length, ...old);
          }
          put(tree, file.oldPath, `${lines.join('\n')}\n`);
        }
      }
      // the same target on both sides: only the tree context differs, and it holds nothing but the hunks
      const args = ['--format', 'json', '--fail-on', 'never', '--kernel-version', '6.12', patchFile];
      const fragments = JSON.parse((await cli(['--no-tree', ...args])).stdout) as Doc;
      const run = await cli(['--tree', tree, ...args]);
      const inTree = JSON.parse(run.stdout) as Doc;
      const notApplied = (inTree.notes ?? []).filter((n) => n.kind === 'not-applied');
      if (notApplied.length === 0) applied++;
      // tree context may join hunks of one function and see more; it must not lose what the hunks show
      const where = (doc: Doc) => doc.findings.map((f) => `${f.rule} ${f.path}:${f.line}`);
      const lost = where(fragments).filter((w) => !where(inTree).includes(w));
      assert.deepEqual(lost, [], patchFile);
      assert.deepEqual((inTree.notes ?? []).filter((n) => n.kind === 'tree-removed'), [], patchFile);
    }
    assert.equal(applied, PATCHES.length, 'every patch applied to the tree rebuilt from it');
  });
});
