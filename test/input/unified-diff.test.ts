import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { FileDiff, Patch } from '../../src/input/patch-model.js';
import { targetPath } from '../../src/input/patch-model.js';
import { InputError, readInput } from '../../src/input/read-input.js';
import { readUnifiedDiff } from '../../src/input/unified-diff.js';
import { R2_ERROR_C } from '../helpers/snippets.js';
import { lintBytes } from '../helpers/lint.js';
import { readCorpus } from './raw-lines.js';

/** Every line of every hunk as [kind, text, patchLine, oldLine, newLine]. */
function rows(file: FileDiff) {
  return file.hunks.flatMap((h) => h.lines.map((l) => [l.kind, l.text, l.patchLine, l.oldLine, l.newLine]));
}

async function readText(name: string, text: string): Promise<Patch> {
  const patches = await readInput(name, Buffer.from(text));
  assert.equal(patches.length, 1);
  return patches[0]!;
}

function byPath(patch: Patch, path: string): FileDiff {
  const file = patch.files.find((f) => targetPath(f) === path);
  assert.ok(file, `${path} in ${patch.files.map(targetPath).join(', ')}`);
  return file;
}

/** `git diff --cached -M` of a small tree, as git 2.x writes it. */
const GIT_DIFF = `diff --git a/blob.bin b/blob.bin
index 8352675..1592e5c 100644
Binary files a/blob.bin and b/blob.bin differ
diff --git a/doc.rst b/doc.rst
index 04fb457..2223bab 100644
--- a/doc.rst
+++ b/doc.rst
@@ -1,2 +1,2 @@
 line
--- x
+++ y
diff --git a/fresh.c b/fresh.c
new file mode 100644
index 0000000..3e75765
--- /dev/null
+++ b/fresh.c
@@ -0,0 +1 @@
+new
diff --git a/gone.c b/gone.c
deleted file mode 100644
index 3367afd..0000000
--- a/gone.c
+++ /dev/null
@@ -1 +0,0 @@
-old
diff --git a/keep.c b/keep.c
index d072066..21a0dc5 100644
--- a/keep.c
+++ b/keep.c
@@ -1,3 +1,4 @@ int a;
 int a;
-int b;
+int bb;
 int c;
+int d;
@@ -10,2 +11,2 @@ static void f(void)
 x();
-y();
+z();
diff --git a/nonl.c b/nonl.c
index f2ba8f8..85df507 100644
--- a/nonl.c
+++ b/nonl.c
@@ -1 +1 @@
-abc
\\ No newline at end of file
+abcd
\\ No newline at end of file
diff --git a/moved.c b/renamed.c
similarity index 80%
rename from moved.c
rename to renamed.c
index a470291..442f4e2 100644
--- a/moved.c
+++ b/renamed.c
@@ -2,3 +2,4 @@ x
 y
 z
 w
+v
diff --git a/same.c b/same.c
old mode 100644
new mode 100755
diff --git a/icon.png b/icon.png
new file mode 100644
index 0000000000000000000000000000000000000000..1592e5c60f1a460928916dc5681fee1a9bd10868
GIT binary patch
literal 3
KcmZQzWC8#H2LJ>B

literal 0
HcmV?d00001

diff --git a/pure.c b/purer.c
similarity index 100%
rename from pure.c
rename to purer.c
`;

describe('git diff', () => {
  test('file statuses and paths: modified, added, deleted, renamed, binary, mode-only', async () => {
    const patch = await readText('tree.diff', GIT_DIFF);
    assert.equal(patch.kind, 'diff');
    assert.deepEqual(patch.problems, []);
    assert.deepEqual(patch.files.map((f) => [f.oldPath, f.newPath, f.status, f.hunks.length]), [
      ['blob.bin', 'blob.bin', 'binary', 0],
      ['doc.rst', 'doc.rst', 'modified', 1],
      ['/dev/null', 'fresh.c', 'added', 1],
      ['gone.c', '/dev/null', 'deleted', 1],
      ['keep.c', 'keep.c', 'modified', 2],
      ['nonl.c', 'nonl.c', 'modified', 1],
      ['moved.c', 'renamed.c', 'renamed', 1],
      ['same.c', 'same.c', 'modified', 0],
      ['/dev/null', 'icon.png', 'binary', 0],
      ['pure.c', 'purer.c', 'renamed', 0],
    ]);
    assert.equal(targetPath(byPath(patch, 'gone.c')), 'gone.c', 'a deleted file is named by its old path');
  });

  test('per line: kind, patch line, old line, new line; hunk headers and their function context', async () => {
    const patch = await readText('tree.diff', GIT_DIFF);
    const keep = byPath(patch, 'keep.c');
    assert.deepEqual(keep.hunks.map((h) => [h.headerLine, h.oldStart, h.oldLines, h.newStart, h.newLines, h.context]), [
      [30, 1, 3, 1, 4, 'int a;'],
      [36, 10, 2, 11, 2, 'static void f(void)'],
    ]);
    assert.deepEqual(rows(keep), [
      [' ', 'int a;', 31, 1, 1],
      ['-', 'int b;', 32, 2, undefined],
      ['+', 'int bb;', 33, undefined, 2],
      [' ', 'int c;', 34, 3, 3],
      ['+', 'int d;', 35, undefined, 4],
      [' ', 'x();', 37, 10, 11],
      ['-', 'y();', 38, 11, undefined],
      ['+', 'z();', 39, undefined, 12],
    ]);
    assert.deepEqual(rows(byPath(patch, 'fresh.c')), [['+', 'new', 18, undefined, 1]]);
    assert.deepEqual(rows(byPath(patch, 'gone.c')), [['-', 'old', 25, 1, undefined]]);
    assert.deepEqual(rows(byPath(patch, 'renamed.c')), [
      [' ', 'y', 57, 2, 2], [' ', 'z', 58, 3, 3], [' ', 'w', 59, 4, 4], ['+', 'v', 60, undefined, 5],
    ]);
  });

  test('lines that look like file headers inside a hunk stay hunk lines', async () => {
    const doc = byPath(await readText('tree.diff', GIT_DIFF), 'doc.rst');
    assert.deepEqual(rows(doc), [[' ', 'line', 9, 1, 1], ['-', '-- x', 10, 2, undefined], ['+', '++ y', 11, undefined, 2]]);
  });

  test('"\\ No newline at end of file" is no diff line, and the lines after it keep their numbers', async () => {
    const nonl = byPath(await readText('tree.diff', GIT_DIFF), 'nonl.c');
    assert.deepEqual(rows(nonl), [['-', 'abc', 45, 1, undefined], ['+', 'abcd', 47, undefined, 1]]);
  });

  test('a hunk cut short is a notice, not a problem, and the lines read so far are kept', async () => {
    const cut = GIT_DIFF.slice(0, GIT_DIFF.indexOf(' int c;\n+int d;'));
    const patch = await readText('cut.diff', cut);
    assert.deepEqual(patch.problems, []);
    assert.equal(patch.notices?.length, 1);
    assert.match(patch.notices![0]!, /truncated hunk at line 30 \(keep\.c\): expected 3\/4 old\/new lines, found 2\/2/);
    assert.deepEqual(rows(byPath(patch, 'keep.c')).map((r) => r[1]), ['int a;', 'int b;', 'int bb;']);
  });

  test('a hunk header with omitted counts means one line', () => {
    const { files, problems } = readUnifiedDiff('--- a/x.c\n+++ b/x.c\n@@ -5 +5 @@\n-a\n+b\n', (i) => i + 101);
    assert.deepEqual(problems, []);
    assert.deepEqual(files[0]!.hunks.map((h) => [h.oldLines, h.newLines, h.headerLine]), [[1, 1, 103]]);
    assert.deepEqual(rows(files[0]!), [['-', 'a', 104, 5, undefined], ['+', 'b', 105, undefined, 5]]);
  });

  test('text with no diff gives no file and no problem', () => {
    assert.deepEqual(readUnifiedDiff('Just a cover letter.\n\nThanks,\nA\n', (i) => i + 1), { files: [], problems: [], notices: [] });
  });
});

describe('diff -u (quilt, plain diff)', () => {
  const DIFF_U = `--- linux.orig/drivers/x.c\t2024-05-01 10:00:00.000000000 +0200
+++ linux/drivers/x.c\t2024-05-02 11:00:00.000000000 +0200
@@ -1,2 +1,3 @@
 int a;
+int b;
 int c;
--- /dev/null\t1970-01-01 00:00:00.000000000 +0000
+++ linux/drivers/new.c\t2024-05-02 11:00:00.000000000 +0200
@@ -0,0 +1,2 @@
+#include <linux/pci.h>
+int n;
`;

  test('paths are read as patch -p1 reads them, timestamps dropped', async () => {
    const patch = await readText('quilt.patch', DIFF_U);
    assert.equal(patch.kind, 'diff');
    assert.deepEqual(patch.files.map((f) => [f.oldPath, f.newPath, f.status]), [
      ['drivers/x.c', 'drivers/x.c', 'modified'],
      ['/dev/null', 'drivers/new.c', 'added'],
    ]);
    assert.deepEqual(rows(patch.files[0]!), [[' ', 'int a;', 4, 1, 1], ['+', 'int b;', 5, undefined, 2], [' ', 'int c;', 6, 2, 3]]);
    assert.deepEqual(rows(patch.files[1]!), [['+', '#include <linux/pci.h>', 10, undefined, 1], ['+', 'int n;', 11, undefined, 2]]);
  });

  test('a/ and b/ prefixes of a diff without "diff --git" are one directory like any other', async () => {
    const patch = await readText('ab.diff', '--- a/drivers/a/x.c\n+++ b/drivers/a/x.c\n@@ -1 +1 @@\n-x\n+y\n');
    assert.deepEqual(patch.files.map((f) => [f.oldPath, f.newPath, f.status]), [['drivers/a/x.c', 'drivers/a/x.c', 'modified']]);
  });
});

describe('C files and other plain text', () => {
  const C_FILE = '#include <linux/pci-p2pdma.h>\n\nstatic int f(void)\n{\n\treturn 0;\n}\n';

  test('a .c file is one file wholly added: every line "+", patch line = new line', async () => {
    const patch = await readText('drivers/pci/f.c', C_FILE);
    assert.equal(patch.kind, 'c-file');
    assert.deepEqual(patch.files.map((f) => [f.oldPath, f.newPath, f.status]), [['/dev/null', 'drivers/pci/f.c', 'added']]);
    assert.deepEqual(rows(patch.files[0]!), C_FILE.split('\n').slice(0, -1).map((t, i) => ['+', t, i + 1, undefined, i + 1]));
  });

  test('C from standard input is recognised by its content and named stdin.c', async () => {
    const patch = await readText('-', C_FILE);
    assert.equal(patch.kind, 'c-file');
    assert.equal(patch.files[0]!.newPath, 'stdin.c');
    const header = await readText('-', 'struct page *p2p_page(struct device *dev)\n{\n\treturn NULL;\n}\n');
    assert.equal(header.kind, 'c-file');
  });

  test('a .h file without a function is still a C file; ./ is dropped from the path', async () => {
    const patch = await readText('./include/x.h', 'struct x {\n\tint a;\n};\n');
    assert.equal(patch.kind, 'c-file');
    assert.equal(patch.files[0]!.newPath, 'include/x.h');
    assert.equal(patch.files[0]!.hunks[0]!.lines.length, 3);
  });

  test('text that is neither diff, mail nor C is refused with a one-line reason naming the input', async () => {
    await assert.rejects(readInput('notes.txt', Buffer.from('Shopping list:\n- milk\n- eggs\n')), (e: unknown) => {
      assert.ok(e instanceof InputError);
      assert.equal(e.message, 'notes.txt: not a patch, mail, mbox or C file');
      return true;
    });
  });

  test('a C file read directly gets the findings its code has (labelled R2 shape as a .c file)', async () => {
    const findings = await lintBytes('drivers/x/map.c', R2_ERROR_C);
    assert.deepEqual(findings.map((f) => [f.rule, f.path, f.line, f.patchLine]), [['R2', 'drivers/x/map.c', 7, 7]]);
  });
});

describe('git diff of a corpus patch', () => {
  test('the diff part of a mail, read as a plain diff, has the same lines shifted by the cut', async () => {
    const mail = readCorpus('labelled', '06-nvmet-rdma-ensure-dma-support.reversed.patch').toString('utf8');
    const lines = mail.split('\n');
    const start = lines.findIndex((l) => l.startsWith('diff --git '));
    const diff = lines.slice(start).join('\n');
    const asMail = (await readInput('mail.patch', Buffer.from(mail)))[0]!;
    const asDiff = await readText('plain.diff', diff);
    const flat = (p: Patch) => p.files.flatMap((f) => rows(f).map((r) => [f.newPath, ...r]));
    assert.deepEqual(flat(asDiff), flat(asMail).map(([path, kind, text, patchLine, oldLine, newLine]) => [path, kind, text, (patchLine as number) - start, oldLine, newLine]));
    const findings = await lintBytes('plain.diff', Buffer.from(diff));
    assert.deepEqual(findings.map((f) => [f.rule, f.path, f.line]), [['R3', 'drivers/nvme/target/rdma.c', 417]]);
  });
});

describe('found by fuzzing', () => {
  test('a "\\ No newline at end of file" right after a hunk header: the file is read, the hunk reported as cut', () => {
    const text = ['diff --git a/drivers/x.c b/drivers/x.c', '--- a/drivers/x.c', '+++ b/drivers/x.c', '@@ -3,1 +3,2 @@', '\\ No newline at end of file', '+\tint y;', ''].join('\n');
    const read = readUnifiedDiff(text, (i) => i + 1);
    assert.equal(read.files.length, 1);
    assert.equal(read.files[0]!.newPath, 'drivers/x.c');
    assert.deepEqual(read.files[0]!.hunks[0]!.lines.map((l) => [l.kind, l.text, l.patchLine]), [['+', '\tint y;', 6]]);
    // a hunk cut short is a notice about the mail (its lines are still checked), not an error
    assert.deepEqual(read.problems, []);
    assert.equal(read.notices.length, 1);
    assert.match(read.notices[0]!, /^truncated hunk at line 4 \(drivers\/x\.c\): expected 1\/2 old\/new lines, found 0\/1; the lines read were checked$/);
  });
});

describe('a hunk header that counts more lines than the hunk has', () => {
  test('the next file header ends the hunk: the next file keeps its own lines, and a notice says so', () => {
    const text = [
      'diff --git a/drivers/a.c b/drivers/a.c', '--- a/drivers/a.c', '+++ b/drivers/a.c', '@@ -1,2 +1,9 @@ static int a(void)',
      ' {', '+\treturn 0;', ' }',
      'diff --git a/drivers/b.c b/drivers/b.c', '--- a/drivers/b.c', '+++ b/drivers/b.c', '@@ -1,2 +1,3 @@ static int b(void)',
      ' {', '+\tint y;', ' }', '',
    ].join('\n');
    const read = readUnifiedDiff(text, (i) => i + 1);
    assert.deepEqual(read.files.map((f) => f.newPath), ['drivers/a.c', 'drivers/b.c']);
    assert.deepEqual(read.files[0]!.hunks[0]!.lines.map((l) => [l.kind, l.text, l.newLine]), [[' ', '{', 1], ['+', '\treturn 0;', 2], [' ', '}', 3]]);
    assert.deepEqual(read.files[1]!.hunks[0]!.lines.map((l) => [l.kind, l.text, l.patchLine, l.newLine]), [[' ', '{', 12, 1], ['+', '\tint y;', 13, 2], [' ', '}', 14, 3]]);
    assert.deepEqual(read.problems, []);
    assert.equal(read.notices.length, 1);
    assert.match(read.notices[0]!, /^truncated hunk at line 4 \(drivers\/a\.c\): expected 2\/9 old\/new lines, found 2\/3 before the next header; the lines read were checked$/);
  });
});
