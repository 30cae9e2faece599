import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { decodeMail } from '../../src/input/mail.js';
import { splitMbox, startsWithMboxSeparator } from '../../src/input/mbox.js';
import { plainMailBody } from '../../src/input/plain-mail.js';
import { readMail } from '../../src/input/read-input.js';
import { CORPUS } from '../helpers/paths.js';

/** Every mail of the corpus, mboxes split. */
const MAILS = ['labelled', 'noise', 'wild', 'series'].flatMap((folder) => readdirSync(join(CORPUS, folder)).filter((n) => /\.(patch|mbox)$/.test(n)).sort()
  .flatMap((n) => {
    const bytes = readFileSync(join(CORPUS, folder, n));
    return startsWithMboxSeparator(bytes.subarray(0, 4096).toString('latin1'))
      ? splitMbox(bytes).map((m, i) => ({ name: `${folder}/${n}#${i}`, raw: m }))
      : [{ name: `${folder}/${n}`, raw: { bytes, firstLine: 1 } }];
  }));

/** What readMail gives, headers aside. */
async function diffOf(raw: { bytes: Buffer; firstLine: number }, light: boolean) {
  const [patch] = await readMail('in', raw, 0, light ? { cannotReport: () => true } : {});
  return { files: patch!.files, problems: patch!.problems };
}

describe('plainMailBody: the pre-filter reads plain mails without the mail library, as decodeMail does', () => {
  test('every corpus mail it reads: the same body text and line map as decodeMail, the same diff and problems', async () => {
    let read = 0;
    for (const { name, raw } of MAILS) {
      const plain = plainMailBody(raw.bytes);
      if (!plain) continue;
      read++;
      const full = await decodeMail(raw.bytes);
      assert.equal(full.bodies.length, 1, name);
      assert.equal(plain.text, full.bodies[0]!.text, name);
      const lines = plain.text.split('\n').length;
      for (let i = 0; i < lines; i += 7) assert.equal(plain.rawLineOf(i), full.bodies[0]!.rawLineOf(i), `${name} line ${i}`);
      assert.deepEqual(await diffOf(raw, true), await diffOf(raw, false), name);
    }
    assert.ok(read > MAILS.length / 2, `${read} of ${MAILS.length} mails read without the mail library`);
  });

  test('MIME mails are left to the mail library', () => {
    const mime = (headers: string) => Buffer.from(`From: a@b\nSubject: x\n${headers}\n\nbody\n`);
    assert.equal(plainMailBody(mime('Content-Type: multipart/mixed; boundary="b"')), undefined);
    assert.equal(plainMailBody(mime('Content-Transfer-Encoding: base64')), undefined);
    assert.equal(plainMailBody(mime('Content-Transfer-Encoding: quoted-printable')), undefined);
    assert.equal(plainMailBody(mime('Content-Type: text/plain; charset=utf-16')), undefined);
    assert.equal(plainMailBody(mime('Content-Type: text/plain\nContent-Type: text/html')), undefined);
    assert.equal(plainMailBody(mime('Content-Type: text/plain; charset=utf-8'))?.text, 'body\n');
  });

  test('mutated corpus mails: where it reads a mail, it reads it as decodeMail does', async () => {
    const runs = Number(process.env['P2PCHECK_FUZZ_RUNS'] ?? 40);
    await fc.assert(fc.asyncProperty(fc.constantFrom(...MAILS), fc.double({ min: 0, max: 1, noNaN: true }), fc.constantFrom(
      'Content-Type: text/plain; charset="us-ascii"', 'content-type:TEXT/PLAIN', 'Content-Transfer-Encoding: 8bit', 'Content-Type: text/plain;\n charset=iso-8859-1',
      'Content-Type: text/plain; charset*=utf-8\'\'x', 'Subject: =?utf-8?q?x?=', 'X-Foo: bar', '', ' folded', 'Content-Type: text/plain; format=flowed',
    ), async ({ raw }, at, line) => {
      const text = raw.bytes.toString('latin1');
      const cut = text.indexOf('\n', Math.floor(at * Math.min(text.length, 2000)));
      const bytes = Buffer.from(cut < 0 ? text : `${text.slice(0, cut + 1)}${line}\n${text.slice(cut + 1)}`, 'latin1');
      const mutated = { bytes, firstLine: raw.firstLine };
      const plain = plainMailBody(bytes);
      if (!plain) return;
      const full = await decodeMail(bytes);
      if (full.bodies.length !== 1) assert.fail(`decodeMail found ${full.bodies.length} bodies where plainMailBody read one`);
      assert.equal(plain.text, full.bodies[0]!.text);
      assert.deepEqual(await diffOf(mutated, true), await diffOf(mutated, false));
    }), { numRuns: runs });
  });
});
