import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import PostalMime, { type Email } from 'postal-mime';
import { cli, spawnCli } from '../cli/run-cli.js';
import { ensureDebianPackages } from '../helpers/debian.js';
import { CORPUS, LABELLED } from '../helpers/paths.js';

const SERIES = join(CORPUS, 'series', '2019-08-12-p2pdma-host-bridge-v3.mbox'); // mail 9 adds two R1 decisions (information, kernel < 6.0); mail 8 changes only an arm of an existing one
const R3_PATCH = join(LABELLED, '06-nvmet-rdma-ensure-dma-support.reversed.patch'); // one R3 warning
const INFO_ONLY = join(LABELLED, '01-rdma-rw-fix-error-flow.patch'); // two information findings
const FROM = 'Rév Iewer <rev@example.org>';

const tmp = mkdtempSync(join(tmpdir(), 'p2pcheck-reply-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

const parse = (raw: string): Promise<Email> => PostalMime.parse(raw);
const header = (mail: Email, name: string) => mail.headers.filter((h) => h.key === name.toLowerCase()).map((h) => h.value);

describe('review replies ready to send (--format reply --output-dir)', () => {
  const dir = join(tmp, 'out');
  let files: string[] = [];
  let mails: Email[] = [];
  let raws: string[] = [];

  before(async () => {
    const run = spawnCli(['--format', 'reply', '--reply-info', '--from', FROM, '--output-dir', dir, SERIES, R3_PATCH]);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stderr, '');
    files = readdirSync(dir).sort();
    assert.deepEqual(run.stdout.split('\n').filter(Boolean), files.map((f) => join(dir, f)), 'stdout names the files written');
    raws = files.map((f) => readFileSync(join(dir, f), 'utf8'));
    mails = await Promise.all(raws.map(parse));
  });

  test('one numbered file per reply, as git format-patch -o writes them', () => {
    assert.deepEqual(files, [
      '0001-re-pci-p2pdma-introduce-pci-p2pdma-unmap-sg.eml',
      '0002-re-nvme-rdma-ensure-dma-support-when-using-p2pdma.eml',
    ]);
    for (const raw of raws) assert.equal(raw.split('\n').filter((l) => l.startsWith('From ')).length, 1, 'one mail a file');
  });

  test('headers: From, To the author, Cc every recipient with the lists, Re: subject, threading, Date, Message-Id, MIME', () => {
    const [first, last] = mails as [Email, Email];
    assert.deepEqual(first.from, { name: 'Rév Iewer', address: 'rev@example.org' });
    assert.deepEqual(first.to?.map((a) => a.address), ['logang@deltatee.com']);
    const cc = first.cc?.map((a) => a.address) ?? [];
    for (const list of ['linux-kernel@vger.kernel.org', 'linux-pci@vger.kernel.org', 'linux-nvme@lists.infradead.org', 'linux-rdma@vger.kernel.org']) assert.ok(cc.includes(list), list);
    assert.ok(!cc.includes('logang@deltatee.com'), 'the author is in To only');
    assert.equal(first.subject, 'Re: [PATCH v3 09/14] PCI/P2PDMA: Introduce pci_p2pdma_unmap_sg()');
    assert.equal(first.inReplyTo, '<20190812173048.9186-10-logang@deltatee.com>');
    assert.ok(first.subject && last.subject);
    assert.match(first.references ?? '', /<20190812173048\.9186-1-logang@deltatee\.com>\s+<20190812173048\.9186-10-logang@deltatee\.com>/);
    assert.equal(last.inReplyTo, '<20210408170123.8788-15-logang@deltatee.com>');
    assert.ok(last.cc?.some((a) => a.name === 'Christian König'), 'a non-ASCII name survives the RFC 2047 round trip');
    for (const mail of mails) {
      assert.ok(!Number.isNaN(Date.parse(mail.date ?? '')), `Date ${mail.date}`);
      assert.match(mail.messageId ?? '', /^<[^<>@\s]+@example\.org>$/);
      assert.deepEqual(header(mail, 'mime-version'), ['1.0']);
      assert.match(header(mail, 'content-type')[0]!, /^text\/plain; charset=UTF-8$/i);
      assert.deepEqual(header(mail, 'content-transfer-encoding'), ['8bit']);
    }
    assert.equal(new Set(mails.map((m) => m.messageId)).size, mails.length, 'every reply has its own Message-Id');
  });

  test('body: quoted lines as the patch has them, the finding under them, prose wrapped at 75 columns', () => {
    const body = mails[1]!.text!;
    assert.match(body, /^On Thu, {2}8 Apr 2021 11:01:21 -0600, Logan Gunthorpe wrote:$/m);
    assert.match(body, /^> diff --git a\/drivers\/nvme\/target\/rdma\.c b\/drivers\/nvme\/target\/rdma\.c\n> @@ -414,8 \+414,7 @@ /m);
    assert.match(body, /^> \+\tif \(!ib_uses_virt_dma\(ndev->device\)\)\n\nr->req\.p2p_client = /m);
    const raw = readFileSync(R3_PATCH, 'utf8');
    for (const quoted of body.split('\n').filter((l) => /^> [-+ @d]/.test(l))) assert.ok(raw.includes(quoted.slice(2)), `quoted as in the patch: ${quoted}`);
    for (const mail of mails) {
      for (const line of mail.text!.split('\n')) {
        if (line.startsWith('>') || line.startsWith('Link: ')) continue;
        assert.ok(line.length <= 75, `${line.length} columns: ${line}`);
      }
      assert.doesNotMatch(mail.text!, /a\/\/dev\/null|On , /);
    }
  });

  test('git send-email --dry-run takes the directory: one mail per file, threaded, to the author and the lists', () => {
    const missing = ensureDebianPackages(['git-email'], ['/usr/lib/git-core/git-send-email']);
    assert.equal(missing, undefined, missing);
    const run = spawnSync('git', ['send-email', '--dry-run', '--confirm=never', '--suppress-cc=self', '--from', FROM, '--smtp-server=/nonexistent/sendmail', dir], {
      cwd: tmp, encoding: 'utf8', timeout: 60_000, env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1', HOME: tmp },
    });
    assert.equal(run.status, 0, run.stderr);
    const sent = run.stdout.split('\n').filter((l) => l.startsWith('Dry-OK. Log says:'));
    assert.equal(sent.length, 2, run.stdout);
    assert.match(run.stdout, /^Sendmail: \/nonexistent\/sendmail -i logang@deltatee\.com .*linux-pci@vger\.kernel\.org/m);
    assert.match(run.stdout, /^Subject: Re: \[PATCH 14\/16\] nvme-rdma: Ensure dma support when using p2pdma$/m);
    assert.match(run.stdout, /^In-Reply-To: <20210408170123\.8788-15-logang@deltatee\.com>$/m);
    assert.match(run.stdout, /^Content-Type: text\/plain; charset=UTF-8$/m);
  });
});

describe('which patches get a reply', () => {
  test('several replies on standard output are an mbox, one mail per separator', async () => {
    const run = await cli(['--format', 'reply', '--reply-info', '--from', FROM, SERIES, R3_PATCH]);
    const parts = run.stdout.split(/^From p2pcheck Mon Sep 17 00:00:00 2001\n/m).filter(Boolean);
    assert.equal(parts.length, 2);
    const subjects = (await Promise.all(parts.map(parse))).map((m) => m.subject);
    assert.deepEqual(subjects.map((s) => s?.slice(0, 24)), ['Re: [PATCH v3 09/14] PCI', 'Re: [PATCH 14/16] nvme-r']);
  });

  test('information-only findings get no reply unless --reply-info', async () => {
    assert.equal((await cli(['--format', 'reply', '--from', FROM, INFO_ONLY])).stdout, '');
    assert.equal((await cli(['--format', 'reply', '--from', FROM, SERIES])).stdout, '');
    assert.match((await cli(['--format', 'reply', '--reply-info', '--from', FROM, INFO_ONLY])).stdout, /^Subject: Re: /m);
  });

  test('a mail without To or Cc (b4 am -o - output): no off-list reply, one line on standard error', async () => {
    const raw = readFileSync(R3_PATCH, 'utf8');
    const headerEnd = raw.indexOf('\n\n');
    const noRecipients = raw.slice(0, headerEnd).replace(/^(To|Cc):.*(\n[ \t].*)*\n?/gim, '') + raw.slice(headerEnd);
    assert.doesNotMatch(noRecipients.slice(0, noRecipients.indexOf('\n\n')), /^(To|Cc):/im);
    const run = await cli(['--format', 'reply', '--from', FROM, '-'], noRecipients);
    assert.equal(run.stdout, '');
    assert.match(run.stderr, /^p2pcheck: -: \[PATCH 14\/16\] nvme-rdma: Ensure dma support when using p2pdma: the mail has no To or Cc .* no reply written/);
    assert.equal(run.stderr.split('\n').filter(Boolean).length, 1);
  });

  test('an input without mail headers (a plain diff) gets no reply and no "On , ... wrote:"', async () => {
    const raw = readFileSync(R3_PATCH, 'utf8');
    const run = await cli(['--format', 'reply', '--from', FROM, '-'], raw.slice(raw.indexOf('diff --git')));
    assert.equal(run.stdout, '');
    assert.match(run.stderr, /^p2pcheck: -: not a mail \(no From header\)/);
  });

  test('the reply options without --format reply: a usage error', async () => {
    const run = await cli(['--output-dir', tmp, R3_PATCH]);
    assert.deepEqual([run.code, run.stdout, run.stderr], [2, '', 'p2pcheck: --output-dir: only with --format reply\n']);
  });

  test('without --from and without a git identity: one line saying how to give one', async () => {
    const saved = { ...process.env };
    Object.assign(process.env, { GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1', HOME: tmp });
    try {
      const run = await cli(['--format', 'reply', R3_PATCH]);
      assert.equal(run.code, 2);
      assert.equal(run.stdout, '');
      assert.match(run.stderr, /^p2pcheck: --format reply needs a From: give --from/);
    } finally {
      process.env = saved;
    }
  });
});
