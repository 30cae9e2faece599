import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { dateBound, describeEra, formatVersion, isBefore, mayBeAtLeast, resolveEra, surelyAtLeast } from '../../src/analysis/kernel-era.js';
import { definedIdentifiers, mailClaims, subjectClaims } from '../../src/analysis/mail-era.js';
import { checkPatches, eraOf, newEraMemory, treeContext } from '../../src/engine/lint.js';
import { readInput } from '../../src/input/read-input.js';
import { DirectoryTree } from '../../src/tree/source-tree.js';

const tmp = mkdtempSync(join(tmpdir(), 'p2pcheck-era-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

/** A P2P buffer mapped with dma_map_single(): R2 fires, and its `era` says what the engine assumed. */
const R2_HUNK = [
  'diff --git a/drivers/misc/demo.c b/drivers/misc/demo.c',
  '--- a/drivers/misc/demo.c',
  '+++ b/drivers/misc/demo.c',
  '@@ -10,7 +10,10 @@ static int demo_map(struct demo *d, struct device *dev)',
  ' \tvoid *buf = pci_alloc_p2pmem(d->pdev, SZ_4K);',
  ' ',
  ' \tif (!buf)',
  ' \t\treturn -ENOMEM;',
  '+',
  '+\td->addr = dma_map_single(dev, buf, SZ_4K, DMA_TO_DEVICE);',
  '+',
  ' \treturn 0;',
  ' }',
  ' ',
];

function mail(opts: { subject: string; date: string; body?: string[]; diff?: string[]; id?: string; replyTo?: string }): string {
  return [
    'From: Dev Eloper <dev@example.org>',
    `Date: ${opts.date}`,
    `Subject: ${opts.subject}`,
    `Message-Id: <${opts.id ?? 'a@example.org'}>`,
    ...(opts.replyTo ? [`In-Reply-To: <${opts.replyTo}>`, `References: <${opts.replyTo}>`] : []),
    '',
    ...(opts.body ?? ['Map the buffer.', '', 'Signed-off-by: Dev Eloper <dev@example.org>']),
    '---',
    ...(opts.diff ?? R2_HUNK),
    '-- ',
    '2.43.0',
    '',
  ].join('\n');
}

async function eras(text: string, tree?: string): Promise<string[]> {
  const patches = await readInput('x.mbox', Buffer.from(text));
  const memory = newEraMemory();
  return patches.map((p) => describeEra(eraOf(p, { tree: tree ? treeContext(new DirectoryTree(tree)) : undefined }, memory, !!tree)));
}

async function findingEras(text: string, options: Parameters<typeof checkPatches>[1] = {}): Promise<string[]> {
  const { findings } = await checkPatches(await readInput('x.patch', Buffer.from(text)), options);
  return findings.map((f) => `${f.rule} ${f.era}`);
}

describe('the era from the mail', () => {
  test('the Date header bounds the era from above: a 2020 mail cannot target 6.12', async () => {
    assert.equal(formatVersion(dateBound(new Date('2020-02-20T10:00:00Z'))!), '5.7', 'newest final 5.5, so at most 5.7');
    assert.equal(formatVersion(dateBound(new Date('2025-08-19T10:00:00Z'))!), '6.18', 'newest final 6.16');
    assert.equal(formatVersion(dateBound(new Date('2026-03-01T10:00:00Z'))!), '7.1', '6.19 then 7.0, not 6.20');
    const [era] = await findingEras(mail({ subject: '[PATCH] demo: map the buffer', date: 'Thu, 20 Feb 2020 12:08:18 +0200' }));
    assert.equal(era, 'R2 kernel before 5.8 (from the Date header (2020-02-20: 5.7 at the newest))');
  });

  test('subject tags: for-6.8, nvme-6.11 next to a series version, a stable 6.1.y, a -next tree', () => {
    const date = new Date('2024-10-01T00:00:00Z');
    const one = (s: string) => subjectClaims(s, date).map((c) => `${c.min && formatVersion(c.min)} ${c.evidence[0]}`);
    assert.deepEqual(one('[PATCH for-6.8] block: fix it'), ['6.8 subject tag [for-6.8]']);
    assert.deepEqual(one('[PATCH v3 nvme-6.11 2/5] nvme-pci: fix it'), ['6.11 subject tag [nvme-6.11]']);
    assert.deepEqual(one('[PATCH 6.1.y 1/3] nvme: fix it'), ['6.1 subject tag [6.1.y]']);
    assert.deepEqual(one('[PATCH rdma-next v2] RDMA/core: fix it'), ['6.11 subject tag [rdma-next], a -next tree after 6.11']);
    assert.deepEqual(one('[PATCH v3 2/5] nvme-pci: fix it'), [], 'v3 is the series version, 2/5 its place');
    assert.deepEqual(one('[PATCH v2.1] nvme-pci: fix it'), []);
    assert.deepEqual(one('Re: nvme 6.8 regression'), [], 'no [PATCH] tag');
  });

  test('"based on" lines: a release, a tree branch, the newest of several rebases; not a series name, a spec version or a quote', () => {
    const claims = (lines: string[]) => mailClaims({ subject: '[PATCH] x', date: 'Mon, 1 Jul 2024 10:00:00 +0000', description: lines.join('\n') })
      .map((c) => `${c.min && formatVersion(c.min)}-${c.below && formatVersion(c.below)}`);
    assert.deepEqual(claims(['Based on v6.8.']), ['6.8-6.9']);
    assert.deepEqual(claims(['This series applies on top of nvme-6.11 and was tested with blktests.']), ['6.11-6.12']);
    assert.deepEqual(claims(['Changes in v2:', ' - rebased on v6.9-rc1', 'Changes in v3:', ' - rebased on 6.10-rc2']), ['6.10-6.11']);
    assert.deepEqual(claims(['Based on "[PATCH v6 00/16] dma-mapping: migrate to physical address-based API"']), []);
    assert.deepEqual(claims(['The check is based on PCIe 5.0 section 6.12.']), []);
    assert.deepEqual(claims(['> Based on v6.3']), [], 'quoted from another mail');
    assert.deepEqual(claims(['The new check guards against 4.2 GB transfers.']), [], 'a lone "against" needs a v, an -rc or a tree name');
    assert.deepEqual(claims(['Tested against nvme-6.10 with blktests.']), ['6.10-6.11']);
    assert.deepEqual(claims(['Based on v7.3']), [], 'a release newer than the Date allows is no base');
  });

  test('the mail\'s base wins over the identifiers it keeps, and says so', async () => {
    const diff = R2_HUNK.map((l) => (l === ' \tif (!buf)' ? ' \tif (!buf || pci_p2pdma_map_sg(dev, sg, 1, DMA_TO_DEVICE))' : l));
    const text = mail({ subject: '[PATCH] demo: map', date: 'Mon, 1 Jul 2024 10:00:00 +0000', body: ['Based on v6.8.', '', 'Signed-off-by: D <d@example.org>'], diff });
    const [era] = await eras(text);
    assert.equal(era, "kernel 6.8 (from 'Based on v6.8.' in the mail; not pci_p2pdma_map_sg (4.20+, before 6.0) kept or removed, which contradicts it)");
  });

  test('a cover letter\'s base reaches the patches that reply to it', async () => {
    const cover = mail({ subject: '[PATCH 0/2] demo', date: 'Mon, 1 Jul 2024 10:00:00 +0000', id: 'c@example.org',
      body: ['Two patches.', '', 'This series is based on v6.9-rc3.'], diff: [] });
    const one = mail({ subject: '[PATCH 1/2] demo: map', date: 'Mon, 1 Jul 2024 10:00:01 +0000', id: '1@example.org', replyTo: 'c@example.org' });
    const mbox = [cover, one].map((m) => `From mboxrd@z Thu Jan  1 00:00:00 1970\n${m}`).join('\n');
    assert.deepEqual(await eras(mbox), [
      "kernel 6.9 (from 'based on v6.9-rc3.' in the mail)",
      "kernel 6.9 (from 'based on v6.9-rc3.' in the series)",
    ]);
  });

  test('identifiers a patch adds and defines never prove that its target has them (a patch introducing the IOVA API)', async () => {
    const intro = [
      'diff --git a/kernel/dma/mapping.c b/kernel/dma/mapping.c',
      '--- a/kernel/dma/mapping.c',
      '+++ b/kernel/dma/mapping.c',
      '@@ -900,3 +900,14 @@ int dma_get_sgtable_attrs(struct device *dev)',
      ' \treturn 0;',
      ' }',
      ' EXPORT_SYMBOL(dma_get_sgtable_attrs);',
      '+',
      '+bool dma_iova_try_alloc(struct device *dev, struct dma_iova_state *state,',
      '+\t\tphys_addr_t phys, size_t size)',
      '+{',
      '+\treturn false;',
      '+}',
      '+EXPORT_SYMBOL_GPL(dma_iova_try_alloc);',
      '+',
      '+int demo(struct device *dev, struct dma_iova_state *s)',
      '+{',
      '+\treturn dma_iova_try_alloc(dev, s, 0, SZ_4K);',
      '+}',
    ];
    assert.ok(definedIdentifiers(intro.filter((l) => l.startsWith('+')).map((l) => l.slice(1))).has('dma_iova_try_alloc'));
    const [defining] = await eras(mail({ subject: '[PATCH 05/18] dma: provide an interface to allocate IOVA', date: 'Sun, 27 Oct 2024 16:21:05 +0200', diff: intro }));
    assert.equal(defining, 'kernel before 6.14 (from the Date header (2024-10-27: 6.13 at the newest))');
    const era = resolveEra({ added: new Set(['dma_iova_try_alloc']), defined: new Set(['dma_iova_try_alloc']) });
    assert.equal(era.source, 'default');
    const uses = resolveEra({ added: new Set(['dma_iova_try_alloc']), addedUsesSure: false });
    assert.equal(uses.min, 6016, 'a use it does not define is evidence');
    assert.ok(!surelyAtLeast(uses, 6016), '... but not a sure one inside a series');
  });
});

describe('the era of a series', () => {
  test('what a patch removes is no definition of its series, also after the repair check reads it reversed', async () => {
    const removal = [
      'diff --git a/include/linux/demo.h b/include/linux/demo.h',
      '--- a/include/linux/demo.h',
      '+++ b/include/linux/demo.h',
      '@@ -1,3 +1,2 @@',
      ' #include <linux/pci-p2pdma.h>',
      '-#define pci_p2pdma_map_sg(d, s, n, dir) pci_p2pdma_map_sg_attrs(d, s, n, dir, 0)',
      ' #define DEMO 1',
    ];
    const keeps = R2_HUNK.map((l) => (l === ' \tif (!buf)' ? ' \tif (!buf || !pci_p2pdma_map_sg(dev, sg, 1, DMA_TO_DEVICE))' : l));
    const one = mail({ subject: '[PATCH 1/2] demo: drop the wrapper', date: 'Mon, 1 Jul 2024 10:00:01 +0000', id: '1@example.org', replyTo: 'c@example.org', diff: removal });
    const two = mail({ subject: '[PATCH 2/2] demo: map', date: 'Mon, 1 Jul 2024 10:00:02 +0000', id: '2@example.org', replyTo: 'c@example.org', diff: keeps });
    const mbox = [one, two].map((m) => `From mboxrd@z Thu Jan  1 00:00:00 1970\n${m}`).join('\n');
    const memory = newEraMemory();
    const { findings } = await checkPatches(await readInput('s.mbox', Buffer.from(mbox)), { eraMemory: memory });
    assert.ok(!memory.defined.get('<c@example.org>')?.has('pci_p2pdma_map_sg') && !memory.defined.get('c@example.org')?.has('pci_p2pdma_map_sg'));
    assert.deepEqual(findings.filter((f) => f.mail === 1).map((f) => f.era),
      ['kernel 4.20+, before 6.0 (from pci_p2pdma_map_sg (4.20+, before 6.0) kept or removed)']);
  });
});

describe('the era with a tree', () => {
  const tree = join(tmp, 'tree');
  mkdirSync(join(tree, 'drivers/misc'), { recursive: true });
  writeFileSync(join(tree, 'Makefile'), 'VERSION = 6\nPATCHLEVEL = 12\nSUBLEVEL = 118\nEXTRAVERSION =\n');
  const demo = (keep: string) => [...Array.from({ length: 7 }, (_, i) => `/* line ${i + 1} */`),
    'static int demo_map(struct demo *d, struct device *dev)', '{',
    '\tvoid *buf = pci_alloc_p2pmem(d->pdev, SZ_4K);', '', keep, '\t\treturn -ENOMEM;', '\treturn 0;', '}', '', ''].join('\n');

  test('the Makefile version only for a patch that applies; kept identifiers newer than it are backports there', async () => {
    writeFileSync(join(tree, 'drivers/misc/demo.c'), demo('\tif (!buf)'));
    const date = 'Mon, 1 Dec 2025 10:00:00 +0000';
    const plain = mail({ subject: '[PATCH] demo: map', date });
    assert.deepEqual(await findingEras(plain, { tree: treeContext(new DirectoryTree(tree)) }),
      [`R2 kernel 6.12 (from the Makefile of the tree ${tree}, which the patch applies to)`]);
    const backport = R2_HUNK.map((l) => (l === ' \tif (!buf)' ? ' \tif (!buf || !dma_map_phys)' : l));
    writeFileSync(join(tree, 'drivers/misc/demo.c'), demo('\tif (!buf || !dma_map_phys)'));
    const [era] = await findingEras(mail({ subject: '[PATCH] demo: map', date, diff: backport }), { tree: treeContext(new DirectoryTree(tree)) });
    assert.equal(era, `R2 kernel 6.12 (from the Makefile of the tree ${tree}, which the patch applies to; ` +
      'not dma_map_phys (6.18+) kept or removed, which contradicts it)');
    writeFileSync(join(tree, 'drivers/misc/demo.c'), demo('\tif (!buf) /* another context */'));
    const [elsewhere] = await findingEras(mail({ subject: '[PATCH] demo: map', date, diff: backport }), { tree: treeContext(new DirectoryTree(tree)) });
    assert.equal(elsewhere, 'R2 kernel 6.18+, before 7.1 (from dma_map_phys (6.18+) kept or removed; the Date header (2025-12-01: 7.0 at the newest))',
      'the patch does not apply: its own evidence, not the Makefile');
  });

  // issue 14 spec revision
  test('one kept 7.0 identifier (DMA_ATTR_REQUIRE_COHERENT) in a 6.12.118 tree is a backport: the Makefile wins; without the tree it is 7.0+', async () => {
    const date = 'Mon, 1 Jun 2026 10:00:00 +0000';
    const kept = R2_HUNK.map((l) => (l === ' \tif (!buf)' ? ' \tif (!buf || !DMA_ATTR_REQUIRE_COHERENT)' : l));
    writeFileSync(join(tree, 'drivers/misc/demo.c'), demo('\tif (!buf || !DMA_ATTR_REQUIRE_COHERENT)'));
    const [era] = await findingEras(mail({ subject: '[PATCH] demo: map', date, diff: kept }), { tree: treeContext(new DirectoryTree(tree)) });
    assert.equal(era, `R2 kernel 6.12 (from the Makefile of the tree ${tree}, which the patch applies to; ` +
      'not DMA_ATTR_REQUIRE_COHERENT (7.0+) kept or removed, which contradicts it)');
    const alone = resolveEra({ preImage: new Set(['DMA_ATTR_REQUIRE_COHERENT']), date: new Date('2026-06-01') });
    assert.equal(formatVersion(alone.min!), '7.0');
    const inTree = resolveEra({ preImage: new Set(['dma_buf_attach_revocable']), tree: { version: 6012, label: 'tree 6.12.118' } });
    assert.ok(isBefore(inTree, 6013) && !mayBeAtLeast(inTree, 7001), 'a 7.1 identifier kept in a 6.12 tree does not make it 7.1');
  });
  // end issue 14 spec revision

  test('a 7.1 API kept next to the old 7.1 name (6.12.118 has both): 6.12 in the tree it applies to, the Date bound without a tree', () => {
    const kept = new Set(['ib_umem_dmabuf_get_pinned_revocable_and_lock', 'move_notify']);
    const inTree = resolveEra({ preImage: kept, tree: { version: 6012, label: 'tree /usr/src/linux-source-6.12' }, date: new Date('2026-01-10') });
    assert.equal(describeEra(inTree), 'kernel 6.12 (from the Makefile of the tree /usr/src/linux-source-6.12, which the patch applies to; not ' +
      'ib_umem_dmabuf_get_pinned_revocable_and_lock (7.1+) next to move_notify (before 7.1) kept or removed, which contradicts it)');
    const dated = resolveEra({ preImage: kept, date: new Date('2026-01-10') });
    assert.equal(formatVersion(dated.below!), '7.1');
    assert.ok(isBefore(dated, 7001), 'a January 2026 mail cannot target 7.1');
    assert.ok(!surelyAtLeast(resolveEra({ preImage: kept }), 7001), 'mixed evidence is never sure');
  });

  test('--kernel-version still wins over everything', async () => {
    const [era] = await findingEras(mail({ subject: '[PATCH for-6.8] demo', date: 'Mon, 1 Jul 2024 10:00:00 +0000' }), { kernelVersion: 6010 });
    assert.equal(era, 'R2 kernel 6.10 (as given)');
  });

  test('base-commit: resolved with git describe in a repository that has the commit', async () => {
    const repo = join(tmp, 'repo');
    mkdirSync(repo);
    const git = (...args: string[]) => execFileSync('git', args, { cwd: repo, encoding: 'utf8' }).trim();
    git('init', '-q');
    git('config', 'user.email', 'r@example.org');
    git('config', 'user.name', 'r');
    writeFileSync(join(repo, 'Makefile'), 'VERSION = 6\nPATCHLEVEL = 9\n');
    git('add', '.');
    git('commit', '-qm', 'Linux 6.9-rc2');
    git('tag', 'v6.9-rc2');
    writeFileSync(join(repo, 'README'), 'x\n');
    git('add', '.');
    git('commit', '-qm', 'more');
    const head = git('rev-parse', 'HEAD');
    const text = mail({ subject: '[PATCH] demo', date: 'Mon, 1 Jul 2024 10:00:00 +0000' }).replace('-- \n', `base-commit: ${head}\n-- \n`);
    const [era] = await findingEras(text, { tree: treeContext(new DirectoryTree(repo)) });
    assert.equal(era, `R2 kernel 6.9 (from base-commit ${head.slice(0, 12)} (v6.9-rc2))`);
    const unknown = text.replace(head, 'deadbeefdeadbeefdeadbeefdeadbeefdeadbeef');
    const [unresolved] = await findingEras(unknown, { tree: treeContext(new DirectoryTree(repo)) });
    assert.equal(unresolved, 'R2 kernel before 6.12 (from the Date header (2024-07-01: 6.11 at the newest))', 'a commit the repository lacks says nothing');
    assert.ok(isBefore(resolveEra({ date: new Date('2024-07-01') }), 6012) && mayBeAtLeast(resolveEra({ date: new Date('2024-07-01') }), 6011));
  });
});
