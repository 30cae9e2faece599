import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { decodeMail } from '../../src/input/mail.js';
import type { DiffLine } from '../../src/input/patch-model.js';
import { readInput } from '../../src/input/read-input.js';
import { lintBytes } from '../helpers/lint.js';
import { CORPUS, LABELLED, NOISE } from '../helpers/paths.js';
import { base64From, diffLines, quotedPrintableAt, rawLines, readCorpus, sameAsRaw, SERIES, WILD } from './raw-lines.js';

/** Corpus mails by their declared encoding (noise.tsv, wild.tsv; labelled files say it in their headers). */
function corpusByEncoding(): Map<string, string[]> {
  const byEncoding = new Map<string, string[]>();
  const add = (encoding: string, path: string) => byEncoding.set(encoding, [...(byEncoding.get(encoding) ?? []), path]);
  for (const folder of ['noise', 'wild']) {
    const [header, ...rows] = readFileSync(join(CORPUS, folder, `${folder}.tsv`), 'utf8').trim().split('\n');
    const columns = header!.split('\t');
    for (const row of rows) {
      const cells = row.split('\t');
      add(cells[columns.indexOf('encoding')]!, join(CORPUS, folder, cells[columns.indexOf('file')]!));
    }
  }
  for (const file of readdirSync(LABELLED).filter((f) => f.endsWith('.patch'))) {
    const qp = /^Content-Transfer-Encoding: quoted-printable/im.test(readFileSync(join(LABELLED, file), 'latin1'));
    add(qp ? 'quoted-printable' : '-', join(LABELLED, file));
  }
  return byEncoding;
}

/** A line a mail mangled on its way (wrapped): parse-diff keeps it as context, at its own raw line. */
const WRAPPED = new Set(['nvme-12-nvme-fix-u32-overflow-in-the-number-of-namespace-l.patch:113']);

/** Whether the diff line starts inside the base64 line it points at: a whole decoded line begins there. */
function base64Holds(raw: string[], line: DiffLine): boolean {
  const { bytes, firstLineBytes } = base64From(raw, line.patchLine - 1);
  const texts = line.kind === ' ' && line.text === '' ? [' ', ''] : [line.kind + line.text];
  return texts.some((text) => {
    const needle = Buffer.from(text);
    for (let at = bytes.indexOf(needle); at >= 0 && at < firstLineBytes; at = bytes.indexOf(needle, at + 1)) {
      const end = at + needle.length;
      if ((at === 0 || bytes[at - 1] === 0x0a) && (end === bytes.length || bytes[end] === 0x0a || bytes[end] === 0x0d)) return true;
    }
    return false;
  });
}

describe('every diff line of the corpus points at its raw line', () => {
  const byEncoding = corpusByEncoding();

  test('the corpus has mails of every encoding to check', () => {
    assert.ok((byEncoding.get('-')?.length ?? 0) > 300);
    assert.ok((byEncoding.get('quoted-printable')?.length ?? 0) >= 10);
    assert.ok((byEncoding.get('base64')?.length ?? 0) >= 3);
    assert.equal(byEncoding.get('base64,multipart')?.length, 1);
  });

  test('plain 7bit/8bit mails: the raw line reads exactly as the diff line', async () => {
    let checked = 0;
    for (const path of byEncoding.get('-')!) {
      const bytes = readFileSync(path);
      const raw = rawLines(bytes);
      const patches = await readInput(path, bytes);
      assert.deepEqual(patches.map((p) => p.kind), ['mail'], path);
      for (const line of diffLines(patches)) {
        if (WRAPPED.has(`${path.split('/').pop()}:${line.patchLine}`)) continue;
        assert.ok(sameAsRaw(line, raw[line.patchLine - 1]), `${path}:${line.patchLine} is ${JSON.stringify(raw[line.patchLine - 1])}, not ${JSON.stringify(line.kind + line.text)}`);
        checked++;
      }
    }
    assert.ok(checked > 20000, `${checked} lines checked`);
  });

  test('quoted-printable mails: the raw line starts the encoded diff line, soft breaks and =XX decoded', async () => {
    for (const path of byEncoding.get('quoted-printable')!) {
      const bytes = readFileSync(path);
      const raw = rawLines(bytes);
      const lines = [...diffLines(await readInput(path, bytes))];
      assert.ok(lines.length > 0, path);
      for (const line of lines) {
        assert.ok(sameAsRaw(line, quotedPrintableAt(raw, line.patchLine - 1)), `${path}:${line.patchLine}`);
      }
    }
  });

  test('base64 mails (one multipart): each diff line starts inside the base64 line it points at', async () => {
    for (const path of [...byEncoding.get('base64')!, ...byEncoding.get('base64,multipart')!]) {
      const bytes = readFileSync(path);
      const raw = rawLines(bytes);
      const lines = [...diffLines(await readInput(path, bytes))];
      assert.ok(lines.length > 0, path);
      for (const line of lines) assert.ok(base64Holds(raw, line), `${path}:${line.patchLine} ${JSON.stringify(line.text)}`);
      assert.ok(new Set(lines.map((l) => l.patchLine)).size > lines.length / 3, `${path}: lines spread over the block`);
    }
  });
});

describe('decoding', () => {
  test('quoted-printable: =3D, =20 and soft line breaks decode inside the diff (labelled 21)', async () => {
    const name = '21-blk-integrity-p2p-source-destination.patch';
    const bytes = readFileSync(join(LABELLED, name));
    const raw = rawLines(bytes);
    const lines = [...diffLines(await readInput(name, bytes))];
    const assigned = lines.find((l) => l.text === '\t\t\t*is_p2p = true;');
    assert.ok(assigned, 'the =3D line decodes');
    assert.equal(assigned.kind, '+');
    assert.equal(raw[assigned.patchLine - 1], '+\t\t\t*is_p2p =3D true;');
    const wrapped = lines.find((l) => l.text.startsWith('static unsigned int bvec_from_pages(struct bio_vec *bvec, struct page **pages,'));
    assert.ok(wrapped, 'a soft-broken line is joined');
    assert.match(raw[wrapped.patchLine - 1]!, /=$/);
    assert.ok(lines.some((l) => l.kind === ' ' && l.text === '' && raw[l.patchLine - 1] === '=20'), '=20 is an empty context line');
  });

  test('base64: the decoded diff is the diff of the base64 body (wild 030)', async () => {
    const name = '030-nvmet-allow-block-device-to-use-buffered-i-o.patch';
    const bytes = readFileSync(join(WILD, name));
    const raw = rawLines(bytes);
    const start = raw.findIndex((l, i) => raw[i - 1] === '' && /^[A-Za-z0-9+/]{60,}$/.test(l));
    const body = base64From(raw, start).bytes.toString('utf8');
    const patches = await readInput(name, bytes);
    const added = [...diffLines(patches)].filter((l) => l.kind === '+').map((l) => `+${l.text}`);
    assert.ok(added.length > 20);
    const addedInBody = body.split('\n').filter((l) => l.startsWith('+') && !l.startsWith('+++'));
    assert.deepEqual(added, addedInBody);
    assert.deepEqual(patches[0]!.files.map((f) => f.newPath), [...body.matchAll(/^\+\+\+ b\/(.*)$/gm)].map((m) => m[1]));
  });

  test('multipart/signed series: text part decoded, the base64 S/MIME signature ignored', async () => {
    const bytes = readFileSync(join(SERIES, '2024-06-12-pci-switch-discovery.mbox'));
    const patches = await readInput('switch.mbox', bytes);
    assert.match(bytes.toString('latin1'), /multipart\/signed/);
    assert.match(bytes.toString('latin1'), /application\/pkcs7-signature/);
    const paths = patches.flatMap((p) => p.files.map((f) => f.newPath));
    assert.ok(paths.includes('drivers/pci/p2pdma.c'), paths.join(' '));
    for (const p of patches) assert.ok(p.files.every((f) => !/\.p7s$|smime/.test(f.newPath)));
    const raw = rawLines(bytes);
    for (const line of diffLines(patches)) assert.ok(sameAsRaw(line, raw[line.patchLine - 1]), `line ${line.patchLine}`);
  });

  test('a mail whose Subject comes after 4 KiB of Received/ARC/DKIM headers is read as a mail', async () => {
    const name = 'rdma-16-net-mlx5-free-mlx5-st-idx-data-on-final-dealloc.patch';
    const bytes = readFileSync(join(NOISE, name));
    assert.ok(bytes.indexOf('\nSubject:') > 4096, 'the corpus mail has long headers');
    const [patch] = await readInput(name, bytes);
    assert.equal(patch!.kind, 'mail');
    assert.equal(patch!.subject, '[PATCH net v2] net/mlx5: free mlx5_st_idx_data on final dealloc');
    const hunk = patch!.files[0]!.hunks[0]!;
    assert.equal(hunk.context, 'int mlx5_st_dealloc_index(struct mlx5_core_dev *dev, u16 st_index)', 'soft break in the @@ line joined');
    assert.deepEqual(hunk.lines.filter((l) => l.kind === '+').map((l) => [l.text, l.newLine]), [['\t\tkfree(idx_data);', 178]]);
  });

  test('ISO-8859-1 quoted-printable: the part charset decodes =E9 and lines after it keep their raw lines', async () => {
    const mail = [
      'From: A <a@example.org>',
      'Subject: [PATCH] latin1',
      'Message-Id: <l@example.org>',
      'MIME-Version: 1.0',
      'Content-Type: text/plain; charset=iso-8859-1',
      'Content-Transfer-Encoding: quoted-printable',
      '',
      'Signed-off-by: Fran=E7ois <f@example.org>',
      '---',
      'diff --git a/lib/l.c b/lib/l.c',
      '--- a/lib/l.c',
      '+++ b/lib/l.c',
      '@@ -1,3 +1,5 @@',
      ' int a;',
      '+/* caf=E9 */',
      '+}',
      ' int b;',
      ' int c =3D 1;',
      '',
    ].join('\n');
    const lines = [...diffLines(await readInput('l.eml', Buffer.from(mail, 'latin1')))];
    assert.deepEqual(lines.map((l) => [l.patchLine, l.kind, l.text]), [
      [14, ' ', 'int a;'], [15, '+', '/* café */'], [16, '+', '}'], [17, ' ', 'int b;'], [18, ' ', 'int c = 1;'],
    ]);
  });

  test('decodeMail reports headers and maps a plain body line for line', async () => {
    const bytes = readFileSync(join(LABELLED, '30-nvme-pci-fix-single-segment.patch'));
    const mail = await decodeMail(bytes);
    assert.equal(mail.subject, '[PATCH] nvme-pci: fix single segment detection');
    assert.ok(mail.messageId?.startsWith('<'));
    assert.ok(mail.from?.includes('@'));
    const raw = rawLines(bytes);
    const body = mail.bodies[0]!;
    const diffAt = body.text.split('\n').findIndex((l) => l.startsWith('diff --git '));
    assert.ok(diffAt > 0);
    assert.equal(raw[body.rawLineOf(diffAt) - 1], body.text.split('\n')[diffAt]);
  });
});

describe('CRLF mails', () => {
  const crlf = (bytes: Buffer) => Buffer.from(bytes.toString('latin1').replace(/\r?\n/g, '\r\n'), 'latin1');
  const cases = [
    ['labelled', '07-nvme-pci-convert-dma-map-sgtable.reversed.patch'],
    ['labelled', '02-rdma-rw-map-p2p-signature.reversed.patch'],
    ['labelled', '06-nvmet-rdma-ensure-dma-support.reversed.patch'],
    ['labelled', '21-blk-integrity-p2p-source-destination.patch'],
    ['noise', 'pci-06-genirq-honor-device-numa-node-when-allocating-desc.patch'],
    ['series', '2019-08-12-p2pdma-host-bridge-v3.mbox'],
  ] as const;

  for (const [folder, name] of cases) {
    test(`${name} with CRLF line ends: same diff model, same findings at the same lines`, async () => {
      const lf = readCorpus(folder, name);
      const dos = crlf(lf);
      assert.ok(dos.length > lf.length);
      const strip = (lines: Iterable<DiffLine>) => [...lines].map((l) => [l.kind, l.text, l.patchLine, l.oldLine, l.newLine]);
      const a = await readInput(name, lf);
      const b = await readInput(name, dos);
      assert.deepEqual(b.map((p) => p.subject), a.map((p) => p.subject));
      assert.deepEqual(strip(diffLines(b)), strip(diffLines(a)));
      assert.ok([...diffLines(b)].every((l) => !l.text.includes('\r')));
      const findings = (bytes: Buffer) => lintBytes(name, bytes).then((fs) => fs.map((f) => [f.rule, f.path, f.line, f.patchLine, f.severity]));
      assert.deepEqual(await findings(dos), await findings(lf));
    });
  }

  test('the CRLF copies of the labelled intro patches keep their findings', async () => {
    const found = await lintBytes('07.patch', crlf(readCorpus('labelled', '07-nvme-pci-convert-dma-map-sgtable.reversed.patch')));
    assert.deepEqual(found.filter((f) => f.rule === 'R1').map((f) => f.line).sort(), [583, 870]);
  });
});
