import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { splitMbox } from '../../src/input/mbox.js';
import type { Patch } from '../../src/input/patch-model.js';
import { readInput } from '../../src/input/read-input.js';
import { lintBytes } from '../helpers/lint.js';
import { LABELLED } from '../helpers/paths.js';
import { diffLines, mailsOfMbox, rawLines, sameAsRaw, SERIES, seriesIndex } from './raw-lines.js';

const SEPARATOR = 'From mboxrd@z Thu Jan  1 00:00:00 1970';

/** Files, hunks and lines of a patch without the positions that depend on where the mail sits. */
function shape(patch: Patch) {
  return {
    subject: patch.subject,
    messageId: patch.messageId,
    files: patch.files.map((f) => ({
      oldPath: f.oldPath, newPath: f.newPath, status: f.status,
      hunks: f.hunks.map((h) => ({
        oldStart: h.oldStart, oldLines: h.oldLines, newStart: h.newStart, newLines: h.newLines, context: h.context,
        lines: h.lines.map((l) => ({ kind: l.kind, text: l.text, oldLine: l.oldLine, newLine: l.newLine })),
      })),
    })),
  };
}

describe('mbox splitting of the corpus series', () => {
  for (const [file, mails] of seriesIndex()) {
    test(`${file}: ${mails.length} mails in series.tsv order, every diff line at its raw line`, async () => {
      const bytes = readFileSync(join(SERIES, file));
      const patches = await readInput(file, bytes);
      assert.equal(patches.length, mails.length);
      assert.deepEqual(patches.map((p) => p.subject), mails.map((m) => m.subject));
      assert.deepEqual(patches.map((p) => p.mailIndex), mails.map((_, i) => i));
      const raw = rawLines(bytes);
      for (const p of patches) assert.equal(raw[p.firstLine - 2], SEPARATOR, `mail ${p.mailIndex} starts after a separator`);
      assert.equal(patches[0]!.files.length, 0, 'the cover letter carries no diff');
      for (const p of patches.slice(1)) assert.ok(p.files.length > 0, `mail ${p.mailIndex} has a diff`);
      let lines = 0;
      for (const line of diffLines(patches)) {
        lines++;
        assert.ok(sameAsRaw(line, raw[line.patchLine - 1]), `${file}:${line.patchLine} reads ${JSON.stringify(raw[line.patchLine - 1])}`);
      }
      assert.ok(lines > 100);
    });
  }

  test('splitMbox gives the byte ranges the hand split gives, separators excluded', () => {
    const bytes = readFileSync(join(SERIES, '2025-11-20-dmabuf-vfio-v9.mbox'));
    const split = splitMbox(bytes);
    const byHand = mailsOfMbox(bytes);
    assert.equal(split.length, 12);
    assert.deepEqual(split.map((m) => m.firstLine), byHand.map((m) => m.firstLine));
    split.forEach((m, i) => {
      assert.ok(!m.bytes.toString('latin1').includes(SEPARATOR));
      assert.equal(m.bytes.toString('latin1').trimEnd(), byHand[i]!.bytes.toString('latin1').trimEnd());
    });
  });
});

describe('mboxrd quoting', () => {
  const mail = [
    'From: A <a@example.org>',
    'Subject: [PATCH] quoting',
    'Message-Id: <q@example.org>',
    '',
    'From the commit message, quoted once by the mbox writer.',
    '>From a line that started with >From.',
    '',
    'diff --git a/lib/q.c b/lib/q.c',
    '--- a/lib/q.c',
    '+++ b/lib/q.c',
    '@@ -1,2 +1,3 @@',
    ' int a;',
    '+int b;',
    ' int c;',
    '',
  ];
  const quote = (lines: string[]) => lines.map((l) => l.replace(/^(>*From )/, '>$1')).join('\n');
  const mbox = Buffer.from(`${SEPARATOR}\n${quote(mail)}\n${SEPARATOR}\n${quote(mail)}\n`);

  test('`>From ` and `>>From ` lose one `>`; body `From ` lines do not split the mail', () => {
    const split = splitMbox(mbox);
    assert.equal(split.length, 2);
    const text = split[0]!.bytes.toString('utf8');
    assert.match(text, /^From the commit message/m);
    assert.match(text, /^>From a line that started/m);
    assert.doesNotMatch(text, /^>>From/m);
    assert.doesNotMatch(text, /^>From the commit/m);
    assert.equal(split[0]!.bytes.toString('utf8').split('\n').slice(0, mail.length).join('\n'), mail.join('\n'));
  });

  test('mails of the mbox keep their line numbers in the mbox', async () => {
    const patches = await readInput('q.mbox', mbox);
    assert.deepEqual(patches.map((p) => p.firstLine), [2, mail.length + 3]);
    const added = [...diffLines(patches)].filter((l) => l.kind === '+');
    assert.deepEqual(added.map((l) => [l.patchLine, l.newLine, l.text]), [[14, 2, 'int b;'], [14 + mail.length + 1, 2, 'int b;']]);
  });

  test('a git format-patch file ("From <sha> Mon Sep 17 00:00:00 2001") is an mbox of one mail', async () => {
    const formatPatch = Buffer.from(`From 0123456789abcdef0123456789abcdef01234567 Mon Sep 17 00:00:00 2001\n${mail.join('\n')}\n`);
    const patches = await readInput('0001-q.patch', formatPatch);
    assert.equal(patches.length, 1);
    assert.equal(patches[0]!.subject, '[PATCH] quoting');
    assert.equal([...diffLines(patches)].find((l) => l.kind === '+')!.patchLine, 14);
  });
});

describe('a mail alone and the same mail inside its mbox', () => {
  const dmabuf = readFileSync(join(SERIES, '2025-11-20-dmabuf-vfio-v9.mbox'));
  // README: mails 04, 05, 06, 10 of the series are the archive commits of labelled 24, 20, 22, 23.
  const same = [[4, '24-p2pdma-export-map-type.patch'], [5, '20-p2pdma-document-dmabuf-model.patch'],
    [6, '22-dma-buf-phys-vec-to-sgt.patch'], [10, '23-vfio-pci-dma-buf-export-v9.patch']] as const;

  for (const [index, file] of same) {
    test(`mail ${index} of the dmabuf series reads as ${file}, lines shifted by the mail's offset`, async () => {
      const inMbox = (await readInput('series.mbox', dmabuf))[index]!;
      const alone = await readInput(file, readFileSync(join(LABELLED, file)));
      assert.equal(alone.length, 1);
      assert.deepEqual(shape(inMbox), shape(alone[0]!));
      const offset = inMbox.firstLine - 1;
      assert.ok(offset > 0);
      const a = [...diffLines(alone)].map((l) => l.patchLine + offset);
      assert.deepEqual([...diffLines([inMbox])].map((l) => l.patchLine), a);
      assert.deepEqual(
        await lintBytes('series.mbox', dmabuf).then((f) => f.filter((x) => x.mail === index).map((x) => [x.rule, x.path, x.line])),
        await lintBytes(file, readFileSync(join(LABELLED, file))).then((f) => f.map((x) => [x.rule, x.path, x.line])),
      );
    });
  }

  test('labelled 25 and 26 (same Message-Id, taken from another list) hold the same diffs as mails 02 and 03', async () => {
    const patches = await readInput('series.mbox', dmabuf);
    for (const [index, file] of [[2, '25-p2pdma-simplify-bus-addr-map.patch'], [3, '26-p2pdma-pcim-provider-refactor.patch']] as const) {
      const alone = (await readInput(file, readFileSync(join(LABELLED, file))))[0]!;
      assert.equal(alone.messageId, patches[index]!.messageId);
      assert.deepEqual(shape(alone).files, shape(patches[index]!).files);
    }
  });

  test('findings on the 2019 host-bridge series are the same mail by mail, alone or in the mbox', async () => {
    const name = '2019-08-12-p2pdma-host-bridge-v3.mbox';
    const bytes = readFileSync(join(SERIES, name));
    const inMbox = await lintBytes(name, bytes);
    assert.ok(inMbox.length > 0, 'the series has findings to compare');
    const alone = [];
    for (const [index, mail] of mailsOfMbox(bytes).entries()) {
      for (const f of await lintBytes(`mail-${index}.eml`, mail.bytes)) {
        alone.push({ ...f, input: name, mail: index, patchLine: f.patchLine + mail.firstLine - 1 });
      }
    }
    const key = (f: { mail: number; rule: string; path: string; line: number; patchLine: number; message: string; severity: string }) =>
      [f.mail, f.rule, f.path, f.line, f.patchLine, f.severity, f.message];
    assert.deepEqual(inMbox.map(key), alone.map(key));
    const raw = rawLines(bytes);
    for (const f of inMbox) assert.match(raw[f.patchLine - 1]!, /^\+/, 'a finding sits on an added line of the mbox');
  });
});
