import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { applyEdits } from '../../../src/engine/suggestions.js';
import { readInput } from '../../../src/input/read-input.js';
import { lintBytes } from '../../helpers/lint.js';
import { LABELLED, projectPath } from '../../helpers/paths.js';

test('the R1 quick fix keeps the host arm, fixes the hunk header, and the patch then gives no R1', async () => {
  const path = join(LABELLED, '07-nvme-pci-convert-dma-map-sgtable.reversed.patch');
  let text = readFileSync(path, 'utf8');
  const before = (await lintBytes(path, text)).filter((f) => f.rule === 'R1');
  assert.deepEqual(before.map((f) => f.line), [583, 870]);
  for (const line of [870, 583]) {
    const finding = (await lintBytes(path, text)).find((f) => f.rule === 'R1' && f.line === line)!;
    assert.ok(finding.suggestion, `no suggestion at ${line}`);
    text = applyEdits(text, finding.suggestion.edits);
  }
  assert.match(text, /^@@ -849,25 \+859,22 @@ static blk_status_t nvme_map_data/m);
  assert.match(text, /^\+\tnr_mapped = dma_map_sg_attrs\(dev->dev, iod->sg, iod->nents,\n\+\t\t\t\t {5}rq_dma_dir\(req\), DMA_ATTR_NO_WARN\);$/m);
  const patches = await readInput(path, Buffer.from(text));
  assert.deepEqual(patches.flatMap((p) => p.problems), [], 'the fixed patch still reads with right hunk counts');
  const mapHunk = patches[0]!.files[0]!.hunks.find((h) => h.newStart === 859)!;
  assert.equal(mapHunk.lines.filter((l) => l.kind !== '-').length, 22);
  assert.deepEqual((await lintBytes(path, text)).filter((f) => f.rule === 'R1'), []);
});

test('no quick fix where the fix is not mechanical (pre-6.0 info, early-return form)', async () => {
  const cases = projectPath('test', 'rules', 'R1-sgl-first-entry-homogeneity', 'cases');
  for (const file of ['fires-info-homogeneous-pre-6.0.patch', 'fires-early-return-and-negated.c']) {
    const findings = await lintBytes(file, readFileSync(join(cases, file)));
    assert.ok(findings.length > 0);
    assert.ok(findings.every((f) => !f.suggestion), file);
  }
});
