import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { readInput } from '../../src/input/read-input.js';
import { cli } from '../cli/run-cli.js';
import { LABELLED } from '../helpers/paths.js';

/**
 * Mails that mail clients damaged, made here from a corpus mail: a long added line wrapped (the
 * continuation with or without its leading space), a hunk cut short. Each is a notice about that
 * mail, like checkpatch's "patch seems to be corrupt"; the other hunks are still checked.
 */
const tmp = mkdtempSync(join(tmpdir(), 'p2pcheck-corrupt-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

const VFIO = readFileSync(join(LABELLED, '09-vfio-pci-dma-buf-mmio-2025-v1.patch'), 'utf8');
const LINES = VFIO.split('\n');

/** The mail with its first added line longer than 75 characters in `path`'s diff wrapped at the last space before column 60. */
function wrapped(path: string, keepSpace = false): { text: string; line: number } {
  const start = LINES.findIndex((l) => l.startsWith(`diff --git a/${path} `));
  const at = LINES.findIndex((l, i) => i > start && l.startsWith('+') && l.length > 75);
  const cut = LINES[at]!.lastIndexOf(' ', 60);
  const lines = [...LINES];
  lines.splice(at, 1, LINES[at]!.slice(0, cut), LINES[at]!.slice(keepSpace ? cut : cut + 1));
  return { text: lines.join('\n'), line: at + 2 };
}

function write(name: string, text: string): string {
  const path = join(tmp, name);
  writeFileSync(path, text);
  return path;
}

interface Doc { findings: { rule: string; path: string; line: number }[]; errors: unknown[]; notes: { kind: string; mail: number; message: string }[] }
const json = async (args: string[]) => {
  const run = await cli(['--format', 'json', '--no-tree', ...args]);
  return { code: run.code, doc: JSON.parse(run.stdout) as Doc };
};
const R7_LINES = [95, 106, 117, 138, 142];

describe('corrupt hunks', () => {
  test('the intact mail: five R7 findings in vfio_pci_dmabuf.c, nine files, no notice', async () => {
    const [patch] = await readInput('09.patch', Buffer.from(VFIO));
    assert.equal(patch!.files.length, 9);
    assert.deepEqual(patch!.notices, []);
    const { doc } = await json([join(LABELLED, '09-vfio-pci-dma-buf-mmio-2025-v1.patch')]);
    assert.deepEqual(doc.findings.map((f) => f.line), R7_LINES);
  });

  test('a wrapped line in a later file: a notice naming the line, that hunk skipped, every other file still read and checked', async () => {
    const { text, line } = wrapped('drivers/vfio/pci/vfio_pci_priv.h');
    const [patch] = await readInput('wrapped.patch', Buffer.from(text));
    assert.deepEqual(patch!.files.map((f) => f.newPath).slice(-3), ['include/linux/dma-buf.h', 'include/linux/vfio_pci_core.h', 'include/uapi/linux/vfio.h'],
      'the files after the damage are read');
    assert.deepEqual(patch!.files.find((f) => f.newPath.endsWith('vfio_pci_priv.h'))!.hunks, []);
    assert.equal(patch!.notices!.length, 1);
    assert.match(patch!.notices![0]!, new RegExp(`^patch seems to be corrupt \\(line wrapped\\?\\) at line ${line}: .* the hunk at line \\d+ \\(drivers/vfio/pci/vfio_pci_priv\\.h\\) was skipped`));
    const path = write('wrapped.patch', text);
    const { code, doc } = await json([path]);
    assert.deepEqual(doc.findings.map((f) => f.line), R7_LINES);
    assert.deepEqual([code, doc.errors, doc.notes.map((n) => n.kind)], [0, [], ['corrupt']], 'warnings and a notice: exit 0');
    const text1 = await cli(['--no-tree', '--fail-on', 'warning', path]);
    assert.equal(text1.code, 1, 'the exit code follows the findings');
    assert.match(text1.stderr, /^p2pcheck: note: .*wrapped\.patch: patch seems to be corrupt/);
  });

  test('a wrapped line whose continuation keeps its space reads as a context line: the count runs over and the hunk is skipped', async () => {
    const { text } = wrapped('drivers/vfio/pci/vfio_pci_priv.h', true);
    const [patch] = await readInput('wrapped-space.patch', Buffer.from(text));
    assert.equal(patch!.notices!.length, 1);
    assert.match(patch!.notices![0]!, /patch seems to be corrupt \(line wrapped\?\) at line \d+: (more context lines than the hunk header states|lines past the end of the hunk)/);
    assert.deepEqual(patch!.files.find((f) => f.newPath.endsWith('vfio_pci_priv.h'))!.hunks, []);
    assert.equal(patch!.files.length, 9);
  });

  test('a wrapped line inside the flagged file: its hunk is skipped, so are its findings, and the rest is still read', async () => {
    const { text } = wrapped('drivers/vfio/pci/vfio_pci_dmabuf.c');
    const { code, doc } = await json([write('wrapped-dmabuf.patch', text)]);
    assert.deepEqual([code, doc.findings, doc.errors], [0, [], []]);
    assert.match(doc.notes[0]!.message, /vfio_pci_dmabuf\.c\) was skipped/);
    const [patch] = await readInput('x.patch', Buffer.from(text));
    assert.equal(patch!.files.length, 9);
  });

  test('a hunk cut short (a quoted part of a diff): the lines read are checked, with a notice', async () => {
    const start = LINES.findIndex((l) => l.startsWith('diff --git a/drivers/vfio/pci/vfio_pci_dmabuf.c '));
    const last = LINES.findIndex((l, i) => i > start && l.startsWith('diff --git '));
    const flagged = LINES.findIndex((l, i) => i > start && l.includes('dma_map_phys(')); // the second finding's line
    const cut = [...LINES.slice(0, flagged + 3), ...LINES.slice(last)].join('\n');
    const { code, doc } = await json([write('cut.patch', cut)]);
    assert.deepEqual(doc.findings.map((f) => f.line), R7_LINES.slice(0, 2), 'the findings before the cut');
    assert.equal(code, 0);
    assert.match(doc.notes[0]!.message, /^truncated hunk at line \d+ \(drivers\/vfio\/pci\/vfio_pci_dmabuf\.c\): expected 0\/321 old\/new lines/);
  });

  test('a list archive: the damaged mail is a notice with its index, and the scan goes on to the next mail', async () => {
    const { text } = wrapped('drivers/vfio/pci/vfio_pci_dmabuf.c');
    const mbox = ['From mboxrd@z Thu Jan  1 00:00:00 1970', text, '', 'From mboxrd@z Thu Jan  1 00:00:00 1970', VFIO].join('\n');
    const { code, doc } = await json([write('archive.mbox', mbox)]);
    assert.equal(code, 0);
    assert.deepEqual(doc.notes.map((n) => [n.kind, n.mail]), [['corrupt', 0]]);
    assert.deepEqual(doc.findings.map((f) => f.line), R7_LINES, 'the second mail is checked in full');
  });
});
