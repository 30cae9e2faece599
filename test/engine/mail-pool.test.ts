import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { CLI, CORPUS, PROJECT_ROOT } from '../helpers/paths.js';

/**
 * The mail pool (issue 11): a long run of mails is checked across worker threads with the output
 * of the serial run, byte for byte, series eras included; Ctrl-C still ends it with exit 130.
 */

const R2_HUNK = [
  'diff --git a/drivers/demo/demo.c b/drivers/demo/demo.c',
  '--- a/drivers/demo/demo.c',
  '+++ b/drivers/demo/demo.c',
  '@@ -10,6 +10,9 @@ static int demo_map(struct demo *d, struct pci_dev *pdev)',
  ' \tbuf = pci_alloc_p2pmem(pdev, SZ_4K);',
  ' \tif (!buf)',
  ' \t\treturn -ENOMEM;',
  '+',
  '+\td->addr = dma_map_single(dev, buf, SZ_4K, DMA_TO_DEVICE);',
  '+',
  ' \treturn 0;',
  ' }',
  ' ',
];

function mail(o: { subject: string; id: string; replyTo?: string; body: string[] }): string {
  return [
    'From mboxrd@z Thu Jan  1 00:00:00 1970',
    'From: Dev Eloper <dev@example.org>',
    'Date: Mon, 1 Jul 2024 10:00:01 +0000',
    `Subject: ${o.subject}`,
    `Message-Id: <${o.id}>`,
    ...(o.replyTo ? [`In-Reply-To: <${o.replyTo}>`, `References: <${o.replyTo}>`] : []),
    '',
    ...o.body,
    '',
    'Signed-off-by: Dev Eloper <dev@example.org>',
    '---',
    ...R2_HUNK,
    '-- ',
    '2.43.0',
    '',
  ].join('\n');
}

/**
 * The labelled patches and the corpus series as one mbox, with a two-patch series of our own
 * split by them: its first patch states the base, the second (a reply to it, a dozen mails later,
 * so on another worker) has its era from the series only.
 */
function corpusMbox(copies = 1): string {
  const series = readdirSync(join(CORPUS, 'series')).filter((n) => n.endsWith('.mbox')).sort()
    .map((n) => readFileSync(join(CORPUS, 'series', n), 'latin1'));
  const labelled = readdirSync(join(CORPUS, 'labelled')).filter((n) => n.endsWith('.patch')).sort()
    .map((n) => readFileSync(join(CORPUS, 'labelled', n), 'latin1'))
    .map((m) => `From mboxrd@z Thu Jan  1 00:00:00 1970\n${m.replace(/^From \S+ .*\n/, '').replace(/^(>*From )/gm, '>$1')}${m.endsWith('\n') ? '' : '\n'}`);
  const first = mail({ subject: '[PATCH 1/2] demo: map', id: 'pool-1@example.org', body: ['Map the buffer.', '', 'This series is based on v6.9-rc3.'] });
  const second = mail({ subject: '[PATCH 2/2] demo: map again', id: 'pool-2@example.org', replyTo: 'pool-1@example.org', body: ['Map it again.'] });
  const one = [first, ...labelled.slice(0, 12), second, ...labelled.slice(12), ...series.map((s) => (s.endsWith('\n') ? s : `${s}\n`))].join('');
  return one.repeat(copies);
}

describe('mail pool', () => {
  let dir: string;
  let mbox: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'p2pcheck-pool-'));
    mbox = join(dir, 'corpus.mbox');
    writeFileSync(mbox, corpusMbox(), 'latin1');
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const run = (args: string[], poolAfterMs?: number) => spawnSync(process.execPath, [CLI, ...args], {
    cwd: PROJECT_ROOT, encoding: 'utf8', timeout: 600_000, maxBuffer: 64 << 20,
    env: { ...process.env, ...(poolAfterMs === undefined ? {} : { P2PCHECK_POOL_AFTER_MS: String(poolAfterMs) }) },
  });

  test('serial and pool runs of a corpus mbox give the same JSON, findings, repairs and series eras alike', () => {
    const serial = run(['--jobs', '1', '--format', 'json', '--fail-on', 'never', '--stats', mbox]);
    const pooled = run(['--jobs', '2', '--format', 'json', '--fail-on', 'never', '--stats', mbox], 0);
    assert.equal(serial.status, 0, serial.stderr);
    assert.equal(pooled.status, 0, pooled.stderr);
    assert.doesNotMatch(serial.stderr, /mail pool/);
    assert.match(pooled.stderr, /; mail pool: \d+ mails checked on 2 worker threads\n/);
    const findings = JSON.parse(serial.stdout).findings as { era?: string }[];
    assert.ok(findings.length > 20, `a corpus mbox has findings (${findings.length})`);
    assert.ok(findings.some((f) => f.era === "kernel 6.9 (from 'based on v6.9-rc3.' in the series)"), 'an era from the series (evidence shared between mails)');
    assert.equal(pooled.stdout, serial.stdout);
    // the statistics add up as in the serial run
    const statLine = (s: string) => s.split('\n').find((l) => / patches, \d+ C files/.test(l))?.replace(/; mail pool: .*/, '');
    assert.equal(statLine(pooled.stderr), statLine(serial.stderr));
  });

  test('Ctrl-C during a pooled run: the findings so far, exit 130', async () => {
    const big = join(dir, 'big.mbox');
    writeFileSync(big, corpusMbox(6), 'latin1');
    const child = spawn(process.execPath, [CLI, '--jobs', '2', '--terse', '--fail-on', 'never', big], {
      cwd: PROJECT_ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, P2PCHECK_POOL_AFTER_MS: '0' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    await new Promise((resolve) => setTimeout(resolve, 4000));
    child.kill('SIGINT');
    const [code, signal] = await new Promise<[number | null, string | null]>((resolve) => child.on('exit', (c, s) => resolve([c, s])));
    assert.deepEqual([code, signal], [130, null], stderr);
    assert.match(stderr, /interrupted after \d+ mails; the findings so far follow/);
    assert.ok(stdout.length > 0, 'findings of the mails checked so far are printed');
  });
});
