import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import oniguruma from 'vscode-oniguruma';
import { CORPUS, LABELLED } from '../helpers/paths.js';
import { GRAMMAR_PATH, SCOPE, lineStarting, onigLib, scopesAt, scopesOf, tokenize, type Line } from './tokenize.js';

const MAIL = join(LABELLED, '07-nvme-pci-convert-dma-map-sgtable.reversed.patch');
const SERIES = join(CORPUS, 'series', '2019-08-12-p2pdma-host-bridge-v3.mbox');
const read = (path: string) => readFileSync(path, 'utf8');

function has(scopes: string[], ...wanted: string[]): void {
  for (const w of wanted) assert.ok(scopes.includes(w), `expected ${w} in ${scopes.join(' ')}`);
}
function lacks(scopes: string[], ...unwanted: string[]): void {
  for (const u of unwanted) assert.ok(!scopes.some((s) => s === u || s.startsWith(u + '.')), `unexpected ${u} in ${scopes.join(' ')}`);
}
const sameScopes = (a: Line, b: Line) => assert.deepEqual(
  a.tokens.map((t) => [t.text, t.scopes]), b.tokens.map((t) => [t.text, t.scopes]), `scopes of ${JSON.stringify(a.text)} changed`);

test('grammar file: every regex compiles in Oniguruma and every include names a rule that exists', async () => {
  const grammar = JSON.parse(read(GRAMMAR_PATH));
  assert.equal(grammar.scopeName, SCOPE);
  await onigLib();
  const external = new Set(['source.c', 'source.c#block_innards']);
  let regexes = 0;
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (!node || typeof node !== 'object') return;
    for (const [key, value] of Object.entries(node)) {
      if (['begin', 'end', 'while', 'match'].includes(key) && typeof value === 'string') {
        assert.doesNotThrow(() => new oniguruma.OnigScanner([value]), `bad ${key}: ${value}`);
        regexes++;
      } else if (key === 'include') {
        const ok = typeof value === 'string' && (value.startsWith('#') ? value.slice(1) in grammar.repository : external.has(value));
        assert.ok(ok, `include ${value} resolves to nothing`);
      } else walk(value);
    }
  };
  walk(grammar);
  assert.throws(() => new oniguruma.OnigScanner(['(unclosed']), 'the compile check itself must be able to fail');
  assert.ok(regexes > 50, `only ${regexes} regexes`);
});

test('mail headers: names, values, addresses, message ids and the Subject prefix', async () => {
  const lines = await tokenize(read(MAIL));
  has(scopesAt(lines[0], 0), 'meta.headers.kernel-patch', 'keyword.other.header-name.kernel-patch'); // Return-Path, at \A
  const from = lineStarting(lines, 'From: ');
  has(scopesOf(from, 'From'), 'meta.header.address.kernel-patch', 'keyword.other.header-name.kernel-patch');
  has(scopesOf(from, ':'), 'punctuation.separator.key-value.kernel-patch');
  has(scopesOf(from, 'Logan'), 'string.unquoted.header-value.kernel-patch');
  lacks(scopesOf(from, 'Logan'), 'keyword.other.header-name');
  has(scopesOf(from, 'logang@deltatee.com'), 'string.other.email.kernel-patch');
  const cc = lines.indexOf(lineStarting(lines, 'Cc: '));
  has(scopesOf(lines[cc + 1], 'dave.hansen@linux.intel.com'), 'meta.header.address.kernel-patch', 'string.other.email.kernel-patch'); // folded line
  has(scopesOf(lineStarting(lines, 'To: '), 'linux-kernel@vger.kernel.org'), 'string.other.email.kernel-patch');
  has(scopesOf(lineStarting(lines, 'Date: '), '2022'), 'meta.header.date.kernel-patch', 'string.unquoted.header-value.kernel-patch');
  for (const name of ['Message-Id: ', 'In-Reply-To: ', 'References: ']) {
    const line = lineStarting(lines, name);
    has(scopesOf(line, name.slice(0, -2)), 'meta.header.message-id.kernel-patch', 'keyword.other.header-name.kernel-patch');
    has(scopesOf(line, '20220708165104'), 'constant.other.message-id.kernel-patch');
  }

  const subject = lineStarting(lines, 'Subject: ');
  assert.equal(subject.text, 'Subject: [PATCH v8 10/13] nvme-pci: convert to using dma_map_sgtable()');
  has(scopesOf(subject, '['), 'meta.patch-prefix.kernel-patch', 'punctuation.definition.patch-prefix.begin.kernel-patch');
  has(scopesOf(subject, 'PATCH'), 'meta.patch-prefix.kernel-patch', 'keyword.other.patch-tag.kernel-patch');
  has(scopesOf(subject, 'v8'), 'constant.numeric.version.kernel-patch');
  has(scopesOf(subject, '10/13'), 'constant.numeric.patch-number.kernel-patch');
  has(scopesOf(subject, ']'), 'punctuation.definition.patch-prefix.end.kernel-patch');
  has(scopesOf(subject, 'nvme-pci:'), 'meta.header.subject.kernel-patch', 'markup.heading.subject.kernel-patch');
  lacks(scopesOf(subject, 'nvme-pci:'), 'meta.patch-prefix');

  const body = lineStarting(lines, 'The dma_map operations');
  for (const t of body.tokens) lacks(t.scopes, 'meta.headers', 'meta.trailer', 'meta.diff');
});

test('a folded Subject, a prefix with tags and a tree name, and an in-body format-patch From line', async () => {
  const lines = await tokenize([
    'From 0123456789abcdef0123456789abcdef01234567 Mon Sep 17 00:00:00 2001',
    'From: A U Thor <author@example.org>',
    'Subject: [RFC PATCH net-next v3 02/14] PCI/P2PDMA: frob the',
    ' widget',
    '',
    'Body: this is not a header.',
  ].join('\n'));
  has(scopesOf(lines[0], 'From'), 'meta.separator.mbox.kernel-patch', 'keyword.other.mbox-from.kernel-patch');
  has(scopesOf(lines[0], '0123456789abcdef'), 'constant.other.mbox-sender.kernel-patch');
  has(scopesOf(lines[0], 'Mon Sep'), 'string.unquoted.date.kernel-patch');
  has(scopesOf(lines[2], 'RFC'), 'keyword.other.patch-tag.kernel-patch');
  has(scopesOf(lines[2], 'net-next'), 'meta.patch-prefix.kernel-patch', 'entity.name.tag.tree.kernel-patch');
  has(scopesOf(lines[2], '02/14'), 'constant.numeric.patch-number.kernel-patch');
  has(scopesOf(lines[3], 'widget'), 'meta.header.subject.kernel-patch', 'markup.heading.subject.kernel-patch');
  for (const t of lines[5].tokens) lacks(t.scopes, 'meta.headers', 'keyword.other.header-name');
});

test('trailers, the --- separator and the diffstat', async () => {
  const lines = await tokenize(read(MAIL));
  const sob = lineStarting(lines, 'Signed-off-by: ');
  has(scopesOf(sob, 'Signed-off-by'), 'meta.trailer.person.kernel-patch', 'keyword.other.trailer.kernel-patch');
  has(scopesOf(sob, 'Logan'), 'string.unquoted.trailer-value.kernel-patch');
  has(scopesOf(sob, 'logang@deltatee.com'), 'string.other.email.kernel-patch');
  has(scopesOf(lineStarting(lines, 'Reviewed-by: '), 'Reviewed-by'), 'keyword.other.trailer.kernel-patch');
  for (const t of lineStarting(lines, 'Cc: ').tokens) lacks(t.scopes, 'meta.trailer'); // a header, not a trailer

  const sep = lines.findIndex((l) => l.text === '---');
  has(scopesAt(lines[sep], 0), 'meta.separator.patch.kernel-patch');
  const stat = lines[sep + 1];
  assert.match(stat.text, /^ drivers\/nvme\/host\/pci\.c \| 69 \+/);
  has(scopesOf(stat, 'drivers/'), 'meta.diffstat.line.kernel-patch', 'string.unquoted.path.kernel-patch');
  has(scopesOf(stat, '69'), 'constant.numeric.diffstat.kernel-patch');
  has(scopesOf(stat, '+'), 'markup.inserted.diffstat.kernel-patch');
  has(scopesOf(stat, '-'), 'markup.deleted.diffstat.kernel-patch');
  const summary = lines[sep + 2];
  has(scopesOf(summary, '1 file changed'), 'meta.diffstat.summary.kernel-patch');
  has(scopesOf(summary, '29'), 'constant.numeric.diffstat.inserted.kernel-patch');
  has(scopesOf(summary, 'deletions(-)'), 'markup.deleted.diffstat.kernel-patch');

  const fixes = lineStarting(await tokenize(read(join(LABELLED, '01-rdma-rw-fix-error-flow.patch'))), 'Fixes: ');
  assert.equal(fixes.text, 'Fixes: 7f73eac3a713 ("PCI/P2PDMA: Introduce pci_p2pdma_unmap_sg()")');
  has(scopesOf(fixes, 'Fixes'), 'meta.trailer.fixes.kernel-patch', 'keyword.other.trailer.kernel-patch');
  has(scopesOf(fixes, '7f73eac3a713'), 'constant.other.commit-hash.kernel-patch');
  has(scopesOf(fixes, 'PCI/P2PDMA: Introduce'), 'string.quoted.double.commit-subject.kernel-patch');

  const link = lineStarting(await tokenize(read(SERIES)), 'Link: ');
  has(scopesOf(link, 'https://'), 'meta.trailer.link.kernel-patch', 'markup.underline.link.kernel-patch');
});

test('diff and hunk headers, and +, - and context lines highlighted as C', async () => {
  const lines = await tokenize(read(MAIL));
  const diff = lineStarting(lines, 'diff --git ');
  has(scopesOf(diff, 'diff'), 'meta.diff.file.c.kernel-patch', 'meta.diff.header.command.kernel-patch', 'keyword.other.diff.kernel-patch');
  has(scopesOf(diff, 'b/drivers'), 'string.unquoted.path.to-file.kernel-patch');
  has(scopesOf(lineStarting(lines, 'index '), '696434658e53'), 'meta.diff.index.git', 'constant.other.commit-hash.kernel-patch');
  has(scopesOf(lineStarting(lines, '--- a/'), '---'), 'meta.diff.header.from-file', 'punctuation.definition.from-file.diff');
  has(scopesOf(lineStarting(lines, '+++ b/'), 'b/drivers'), 'meta.diff.header.to-file', 'string.unquoted.path.to-file.kernel-patch');

  const hunk = lineStarting(lines, '@@ -230,10 +230,11 @@ struct nvme_iod {');
  has(scopesAt(hunk, 0), 'meta.diff.range.unified', 'punctuation.definition.range.diff');
  has(scopesOf(hunk, '-230,10'), 'constant.numeric.line-range.from.kernel-patch');
  has(scopesOf(hunk, '+230,11'), 'constant.numeric.line-range.to.kernel-patch');
  lacks(scopesOf(hunk, '+230,11'), 'meta.diff.function-context');
  has(scopesOf(hunk, 'struct'), 'meta.diff.function-context.kernel-patch', 'source.c', 'storage.type.struct.c');
  has(scopesOf(hunk, 'nvme_iod'), 'meta.diff.function-context.kernel-patch');

  const added = lineStarting(lines, '+\tint nents;');
  has(scopesAt(added, 0), 'meta.diff.line.inserted.kernel-patch', 'markup.inserted.diff', 'punctuation.definition.inserted.diff');
  lacks(scopesAt(added, 0), 'source.c');
  has(scopesOf(added, 'int'), 'markup.inserted.diff', 'source.c', 'storage.type.built-in.primitive.c');
  has(scopesOf(added, '/*'), 'comment.block.c');
  const removed = lineStarting(lines, '-\tstruct sg_table sgt;');
  has(scopesAt(removed, 0), 'meta.diff.line.deleted.kernel-patch', 'markup.deleted.diff', 'punctuation.definition.deleted.diff');
  has(scopesOf(removed, 'struct'), 'markup.deleted.diff', 'source.c', 'storage.type.struct.c');
  const context = lineStarting(lines, ' \tbool use_sgl;');
  has(scopesAt(context, 0), 'meta.diff.line.context.kernel-patch');
  lacks(scopesAt(context, 0), 'markup.inserted', 'markup.deleted');
  has(scopesOf(context, 'bool'), 'source.c', 'storage.type.built-in.primitive.c');

  const call = lineStarting(lines, '+\tif (is_pci_p2pdma_page(sg_page(iod->sg)))');
  has(scopesOf(call, 'if'), 'markup.inserted.diff', 'source.c', 'keyword.control.c');
  has(scopesOf(call, 'is_pci_p2pdma_page'), 'markup.inserted.diff', 'meta.function-call.c', 'entity.name.function.c');
  has(scopesOf(call, '->'), 'punctuation.separator.pointer-access.c');
});

test('the middle and end lines of a block comment are comment, though each diff line is parsed alone', async () => {
  const lines = await tokenize(read(join(LABELLED, '08-habanalabs-dma-buf-exporter.patch')));
  const open = lines.findIndex((l) => l.text === '+/**');
  has(scopesAt(lines[open], 1), 'source.c', 'comment.block.documentation.c');
  assert.equal(lines[open + 1].text, '+ * struct hl_dmabuf_priv - a dma-buf private object.');
  has(scopesOf(lines[open + 1], 'struct'), 'markup.inserted.diff', 'source.c', 'comment.block.c');
  lacks(scopesOf(lines[open + 1], 'struct'), 'storage.type');
  const close = lines.findIndex((l, i) => i > open && l.text === '+ */');
  has(scopesOf(lines[close], '*/'), 'comment.block.c', 'punctuation.definition.comment.end.c');
  has(scopesOf(lines[close + 1], 'struct'), 'storage.type.struct.c'); // code again on the next line
  lacks(scopesOf(lineStarting(lines, '+\tstruct dma_buf'), '*dmabuf'), 'comment'); // a pointer declarator is no comment
});

test('an unterminated comment, string or macro in one diff line leaves the next line as it was', async () => {
  const text = read(MAIL);
  const before = await tokenize(text);
  const target = '+\tiod->sg = mempool_alloc(dev->iod_mempool, GFP_ATOMIC);';
  const at = before.findIndex((l) => l.text === target);
  assert.ok(at > 0 && before[at + 1].text === '+\tif (!iod->sg)');
  for (const opener of ['+\t/* a comment that the next line never closes', '-\ts = "a string left open', ' #define X(a) \\', '+/*']) {
    const lines = text.split('\n');
    lines.splice(text.split('\n').indexOf(target) + 1, 0, opener);
    const after = await tokenize(lines.join('\n'));
    const opened = after[at + 1];
    assert.equal(opened.text, opener);
    assert.ok(opened.tokens.some((t) => t.scopes.includes('comment.block.c') || t.scopes.includes('string.quoted.double.c')
      || t.scopes.includes('meta.preprocessor.macro.c')), `${opener} opened nothing`);
    sameScopes(after[at + 2], before[at + 1]);
    sameScopes(after[at + 3], before[at + 2]);
  }
});

test('\\ No newline, new files, renames, binaries and non-C files', async () => {
  const tail = await tokenize('diff --git a/x.c b/x.c\n--- a/x.c\n+++ b/x.c\n@@ -1 +1 @@\n-int x;\n+int y;\n\\ No newline at end of file\n');
  has(scopesAt(tail[6], 0), 'meta.diff.hunk.kernel-patch', 'meta.diff.no-newline.kernel-patch', 'punctuation.definition.no-newline.kernel-patch');
  has(scopesOf(tail[6], 'No newline'), 'comment.line.no-newline.kernel-patch');
  lacks(scopesOf(tail[6], 'No newline'), 'source.c');

  const vfio = await tokenize(read(join(LABELLED, '09-vfio-pci-dma-buf-mmio-2025-v1.patch')));
  const newFile = vfio.findIndex((l) => l.text === 'new file mode 100644');
  has(scopesOf(vfio[newFile], 'new file mode'), 'meta.diff.header.mode.kernel-patch', 'keyword.other.diff-header.kernel-patch');
  has(scopesOf(vfio[newFile], '100644'), 'constant.numeric.mode.kernel-patch');
  has(scopesOf(lineStarting(vfio, '--- /dev/null', newFile), '/dev/null'), 'string.unquoted.path.from-file.kernel-patch');

  const docs = await tokenize(read(join(CORPUS, 'noise', 'block-29-docs-block-convert-to-rest.patch')));
  const diff = lineStarting(docs, 'diff --git a/Documentation/block/bfq-iosched.txt');
  has(scopesAt(diff, 0), 'meta.diff.file.kernel-patch');
  const i = docs.indexOf(diff);
  has(scopesOf(docs[i + 1], '95%'), 'meta.diff.header.similarity.kernel-patch', 'constant.numeric.percentage.kernel-patch');
  has(scopesOf(docs[i + 2], 'rename from'), 'meta.diff.header.rename.kernel-patch', 'keyword.other.diff-header.kernel-patch');
  has(scopesOf(docs[i + 3], 'Documentation/'), 'string.unquoted.path.kernel-patch');
  const rst = docs[i + 8];
  assert.equal(rst.text, '+==========================');
  has(scopesAt(rst, 1), 'markup.inserted.diff');
  lacks(scopesAt(rst, 1), 'source.c');

  const bin = await tokenize('diff --git a/fw.bin b/fw.bin\nnew file mode 100644\nindex 0000000..3333333\nBinary files /dev/null and b/fw.bin differ\n');
  has(scopesOf(bin[3], 'Binary files'), 'meta.diff.header.binary.kernel-patch', 'keyword.other.diff-header.kernel-patch');
  has(scopesOf(bin[3], 'b/fw.bin'), 'string.unquoted.path.kernel-patch');
});

test('signature, git version and mailing-list footer', async () => {
  const lines = await tokenize(read(MAIL));
  const sig = lines.findIndex((l) => l.text === '-- ');
  has(scopesAt(lines[sig], 0), 'meta.signature.kernel-patch', 'punctuation.definition.signature.kernel-patch');
  lacks(scopesAt(lines[sig], 0), 'markup.deleted', 'meta.diff');
  has(scopesOf(lines[sig + 1], '2.30.2'), 'meta.signature.kernel-patch', 'constant.numeric.version.git.kernel-patch');
  const footer = lineStarting(lines, '_______', sig);
  has(scopesAt(footer, 0), 'meta.footer.mailing-list.kernel-patch');
  const list = lines.indexOf(footer);
  has(scopesOf(lines[list + 1], 'iommu mailing list'), 'meta.footer.mailing-list.kernel-patch');
  has(scopesOf(lines[list + 3], 'https://'), 'markup.underline.link.kernel-patch');
});

test('a plain unified diff without mail headers', async () => {
  const mail = read(MAIL).split('\n');
  const plain = mail.slice(mail.indexOf('--- a/drivers/nvme/host/pci.c'), mail.indexOf('-- ')).join('\n');
  const lines = await tokenize(plain);
  has(scopesAt(lines[0], 0), 'meta.diff.file.c.kernel-patch', 'meta.diff.header.from-file');
  has(scopesAt(lines[1], 0), 'meta.diff.header.to-file');
  has(scopesAt(lines[2], 0), 'meta.diff.range.unified');
  has(scopesOf(lineStarting(lines, '+\tint nents;'), 'int'), 'markup.inserted.diff', 'storage.type.built-in.primitive.c');
  has(scopesOf(lineStarting(lines, '-\tstruct sg_table sgt;'), 'struct'), 'markup.deleted.diff', 'source.c');
  for (const l of lines) for (const t of l.tokens) lacks(t.scopes, 'meta.headers', 'meta.trailer', 'meta.signature');

  const timestamped = await tokenize('--- old/README\t2024-01-01 00:00:00\n+++ new/README\t2024-01-02 00:00:00\n@@ -1 +1 @@\n-/* x\n+int x;\n');
  has(scopesAt(timestamped[0], 0), 'meta.diff.file.kernel-patch');
  has(scopesOf(timestamped[0], '2024'), 'comment.line.timestamp.kernel-patch');
  has(scopesAt(timestamped[4], 0), 'markup.inserted.diff'); // not C: the file is no .c or .h
  lacks(scopesAt(timestamped[4], 1), 'source.c');
});

test('an mbox series: every mail gets its own headers, subject prefix and signature', async () => {
  const text = read(SERIES);
  const lines = await tokenize(text);
  const separators = lines.filter((l) => l.text.startsWith('From mboxrd@z '));
  assert.equal(separators.length, 15);
  for (const sep of separators) {
    has(scopesAt(sep, 0), 'meta.separator.mbox.kernel-patch', 'keyword.other.mbox-from.kernel-patch');
    const i = lines.indexOf(sep);
    if (i > 0) for (const t of lines[i - 1].tokens) lacks(t.scopes, 'meta.diff', 'meta.headers', 'meta.signature'); // the previous mail ended
    const subject = lineStarting(lines, 'Subject: ', i);
    has(scopesOf(subject, 'PATCH'), 'meta.headers.kernel-patch', 'keyword.other.patch-tag.kernel-patch');
    has(scopesOf(subject, '/14'), 'constant.numeric.patch-number.kernel-patch');
  }
  const signatures = lines.filter((l) => l.text === '-- ');
  assert.equal(signatures.length, 14); // the cover letter has none
  for (const s of signatures) has(scopesAt(s, 0), 'meta.signature.kernel-patch');
  const dashes = lines.find((l) => l.text === '--'); // a separator in the cover letter's prose
  assert.ok(dashes);
  for (const t of dashes.tokens) lacks(t.scopes, 'meta.signature', 'meta.diff');
  assert.equal(lines.filter((l) => l.tokens[0].scopes.includes('meta.diff.header.command.kernel-patch')).length,
    text.split('\n').filter((l) => l.startsWith('diff --git ')).length);

  // A git format-patch mail attached in the body of another mail starts over with headers.
  const wild = await tokenize(read(join(CORPUS, 'wild', '013-block-omit-request-pre-start-time-ns-if-config-blk.patch')));
  const inner = wild.findIndex((l) => /^From [0-9a-f]{40} /.test(l.text));
  has(scopesAt(wild[inner], 0), 'meta.separator.mbox.kernel-patch');
  has(scopesOf(wild[inner + 1], 'From'), 'meta.header.address.kernel-patch', 'keyword.other.header-name.kernel-patch');
});

test('without a C grammar only the C scopes go: every line keeps the scopes of its first token', async () => {
  const withC = await tokenize(read(MAIL));
  const withoutC = await tokenize(read(MAIL), false);
  const at = withC.findIndex((l) => l.text === '+\tint nents;\t\t/* Used in scatterlist */');
  has(scopesAt(withoutC[at], 5), 'markup.inserted.diff', 'source.c');
  lacks(scopesAt(withoutC[at], 2), 'storage.type');
  withC.forEach((line, k) => assert.deepEqual(withoutC[k].tokens[0].scopes, line.tokens[0].scopes, `line ${k + 1}: ${line.text}`));
});
