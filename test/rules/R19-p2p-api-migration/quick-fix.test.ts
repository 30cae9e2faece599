import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, describe, test } from 'node:test';
import { parseVersion } from '../../../src/analysis/kernel-era.js';
import { applyEdits } from '../../../src/engine/suggestions.js';
import { formatJson } from '../../../src/report/json.js';
import { formatSarif } from '../../../src/report/sarif.js';
import { lintBytes } from '../../helpers/lint.js';

/**
 * R19's quick fix on a patch: every one-to-one row (renames, the dropped argument of
 * blk_rq_dma_map_iter_next()) carries a mechanical edit; applied, the patch still applies to its
 * pre-image (git apply --check) and lints without an R19 finding. The decision rows carry none.
 */
const PATH = 'drivers/misc/demo/demo_revoke.c';
const PRE = [
  '#include <linux/dma-buf.h>',
  '',
  'static void demo_revoke(struct demo_buf *buf, struct request *req, struct demo_iod *iod)',
  '{',
  '\tdma_resv_lock(buf->dmabuf->resv, NULL);',
  '\tdma_resv_unlock(buf->dmabuf->resv);',
  '}',
];
const PATCH = `Subject: [PATCH] misc/demo: revoke and remap

---
diff --git a/${PATH} b/${PATH}
index 1111111..2222222 100644
--- a/${PATH}
+++ b/${PATH}
@@ -1,7 +1,18 @@
 #include <linux/dma-buf.h>
 
+static const struct dma_buf_attach_ops demo_ops = {
+\t.move_notify = demo_invalidate,
+};
+
 static void demo_revoke(struct demo_buf *buf, struct request *req, struct demo_iod *iod)
 {
 \tdma_resv_lock(buf->dmabuf->resv, NULL);
+\tdma_buf_move_notify(buf->dmabuf); /* revoke: dma_buf_move_notify */
+\twhile (blk_rq_dma_map_iter_next(req, buf->dma_dev,
+\t\t\t\t\t&iod->dma_state, &iod->iter))
+\t\tdemo_add(iod);
+\tif (blk_rq_dma_unmap(req, buf->dma_dev, &iod->dma_state, iod->len))
+\t\tdemo_done(iod);
+\tstruct dma_buf_phys_vec *vec = buf->vec;
 \tdma_resv_unlock(buf->dmabuf->resv);
 }
`;

const options = { rules: ['R19'], kernelVersion: parseVersion('7.1') };
const dirs: string[] = [];
after(() => { for (const d of dirs) rmSync(d, { recursive: true, force: true }); });

describe('R19 quick fix', () => {
  test('one-to-one rows carry an edit, decision rows none; JSON and SARIF carry it', async () => {
    const findings = await lintBytes('demo.patch', PATCH, options);
    const byLine = new Map(findings.map((f) => [f.line, f]));
    assert.deepEqual([...byLine.keys()].sort((a, b) => a - b), [4, 10, 11, 14, 16]);
    for (const line of [4, 10, 11, 16]) assert.ok(byLine.get(line)!.suggestion, `line ${line} has a quick fix`);
    assert.equal(byLine.get(14)!.suggestion, undefined, 'the 6.19 unmap needs a decision (the map type): no automatic edit');
    const json = JSON.parse(formatJson({ findings, repairs: [], problems: [] }));
    assert.ok(json.findings.some((f: { suggestion?: { edits: unknown[] } }) => f.suggestion?.edits.length));
    const sarif = JSON.parse(formatSarif(findings, '0.0.0'));
    const fixes = sarif.runs[0].results.filter((r: { fixes?: unknown[] }) => r.fixes);
    assert.equal(fixes.length, 4);
    assert.equal(fixes[0].fixes[0].artifactChanges[0].artifactLocation.uri, 'demo.patch');
    assert.ok(fixes[0].fixes[0].artifactChanges[0].replacements[0].insertedContent.text.endsWith('\n'));
  });

  test('the fixed patch still applies to its pre-image and lints without the fixed findings', async () => {
    let text = PATCH;
    for (let round = 0; round < 10; round++) {
      const withFix = (await lintBytes('demo.patch', text, options)).find((f) => f.suggestion);
      if (!withFix) break;
      text = applyEdits(text, withFix.suggestion!.edits);
    }
    assert.match(text, /\.invalidate_mappings = demo_invalidate/);
    assert.match(text, /\tdma_buf_invalidate_mappings\(buf->dmabuf\); \/\* revoke: dma_buf_move_notify \*\//, 'the comment is not code');
    assert.match(text, /blk_rq_dma_map_iter_next\(req, buf->dma_dev, &iod->iter\)\)/);
    assert.match(text, /struct phys_vec \*vec/);
    assert.match(text, /@@ -1,7 \+1,17 @@/, 'the hunk header follows the joined lines');
    const remaining = await lintBytes('demo.patch', text, options);
    assert.deepEqual(remaining.map((f) => f.line), [13], 'only the unmap that needs a decision is left');
    const repo = mkdtempSync(join(tmpdir(), 'r19-fix-'));
    dirs.push(repo);
    execFileSync('git', ['init', '-q'], { cwd: repo });
    mkdirSync(join(repo, dirname(PATH)), { recursive: true });
    writeFileSync(join(repo, PATH), `${PRE.join('\n')}\n`);
    writeFileSync(join(repo, 'fixed.patch'), text);
    execFileSync('git', ['apply', '--check', 'fixed.patch'], { cwd: repo, stdio: 'pipe' });
    writeFileSync(join(repo, 'orig.patch'), PATCH);
    execFileSync('git', ['apply', '--check', 'orig.patch'], { cwd: repo, stdio: 'pipe' });
  });
});

describe('R19 and another rule on one line', () => {
  test('one finding, under R19, naming the other rule, at the higher severity', async () => {
    const { oneFindingPerDefect } = await import('../../../src/engine/lint.js');
    const base = { path: 'drivers/x.c', line: 7 } as const;
    const r19 = { ...base, rule: 'R19', severity: 'info' } as Parameters<typeof oneFindingPerDefect>[0][number];
    const r2 = { ...base, rule: 'R2', severity: 'error' } as Parameters<typeof oneFindingPerDefect>[0][number];
    const other = { ...base, line: 8, rule: 'R6', severity: 'error' } as Parameters<typeof oneFindingPerDefect>[0][number];
    const kept = oneFindingPerDefect([r2, r19, other]);
    assert.deepEqual(kept.map((f) => f.rule), ['R19', 'R6']);
    assert.equal(kept[0]!.severity, 'error');
    assert.deepEqual(kept[0]!.also, ['R2']);
  });
});

describe('R19 and the base-commit (spec example pair)', () => {
  test('the same line: error on a 7.0-rc3 base stated in the mail, nothing with a base-commit that git describes as v6.19', async () => {
    const { DirectoryTree } = await import('../../../src/tree/source-tree.js');
    const { treeContext } = await import('../../../src/engine/lint.js');
    const repo = mkdtempSync(join(tmpdir(), 'r19-base-'));
    dirs.push(repo);
    const git = (...args: string[]) => execFileSync('git', args, { cwd: repo, encoding: 'utf8' }).trim();
    git('init', '-q');
    git('config', 'user.email', 'r@example.org');
    git('config', 'user.name', 'r');
    writeFileSync(join(repo, 'Makefile'), 'VERSION = 6\nPATCHLEVEL = 19\n');
    git('add', '.');
    git('commit', '-qm', 'Linux 6.19');
    git('tag', 'v6.19');
    const head = git('rev-parse', 'HEAD');
    const mail = (base: string) => `From: Demo <demo@example.org>
Subject: [PATCH 2/3] nvme-pci: map data segments with the block DMA iterator

${base}
---
diff --git a/drivers/nvme/host/pci.c b/drivers/nvme/host/pci.c
index 1111111..2222222 100644
--- a/drivers/nvme/host/pci.c
+++ b/drivers/nvme/host/pci.c
@@ -900,3 +900,5 @@ static blk_status_t nvme_pci_setup_data_prp(struct request *req,
 \tstruct nvme_iod *iod = blk_mq_rq_to_pdu(req);
+\tdo {
+\t} while (blk_rq_dma_map_iter_next(req, dev->dev, &iod->dma_state, iter));
 \treturn BLK_STS_OK;
`;
    const fires = await lintBytes('a.patch', mail('The series is based on v7.0-rc3.\n'), { rules: ['R19'] });
    assert.deepEqual(fires.map((f) => [f.line, f.severity]), [[902, 'error']]);
    const quiet = await lintBytes('b.patch', mail(`base-commit: ${head}\n`), { rules: ['R19'], tree: treeContext(new DirectoryTree(repo)) });
    assert.deepEqual(quiet, []);
    // the base-commit is what silences it: unresolved, the era is unknown and the line gets an info
    const unresolved = await lintBytes('c.patch', mail(`base-commit: ${head}\n`), { rules: ['R19'] });
    assert.deepEqual(unresolved.map((f) => [f.line, f.severity]), [[902, 'info']]);
  });
});
