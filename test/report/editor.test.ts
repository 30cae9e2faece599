import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { editorDiagnostics } from '../../src/report/editor-diagnostics.js';
import { findingHoverMarkdown, ruleMarkdown } from '../../src/report/rule-docs.js';
import { RULES, ruleById } from '../../src/rules/index.js';
import { lintBytes } from '../helpers/lint.js';
import { LABELLED, projectPath } from '../helpers/paths.js';

test('patch findings land on the patch line, one column right of the C column (the diff prefix)', async () => {
  const path = join(LABELLED, '07-nvme-pci-convert-dma-map-sgtable.reversed.patch');
  const text = readFileSync(path, 'utf8');
  const lines = text.split('\n');
  const findings = await lintBytes(path, text);
  const [d] = editorDiagnostics(findings.filter((f) => f.line === 870), 'mail', lines);
  assert.equal(lines[d!.range.line], '+\tif (is_pci_p2pdma_page(sg_page(iod->sg)))');
  assert.equal(lines[d!.range.line]!.slice(d!.range.startColumn, d!.range.startColumn + 18), 'is_pci_p2pdma_page');
  assert.equal(d!.range.endColumn, lines[d!.range.line]!.length);
  assert.deepEqual(d!.related.map((r) => lines[r.range.line]!.trim()), [
    '+\t\tnr_mapped = pci_p2pdma_map_sg_attrs(dev->dev, iod->sg,',
    '+\t\tnr_mapped = dma_map_sg_attrs(dev->dev, iod->sg, iod->nents,',
  ]);
});

test('C-file findings keep their column; a line that does not read as expected is flagged whole', async () => {
  const path = projectPath('test', 'rules', 'R2-single-map-api-on-p2p', 'cases', 'fires-bar-iomem.c');
  const text = readFileSync(path, 'utf8');
  const lines = text.split('\n');
  const [first] = editorDiagnostics(await lintBytes(path, text), 'c-file', lines);
  assert.equal(lines[first!.range.line]!.slice(first!.range.startColumn, first!.range.startColumn + 14), 'dma_map_single');
  const [shifted] = editorDiagnostics([{ ...first!.finding, column: 500 }], 'c-file', lines);
  assert.equal(shifted!.range.startColumn, 1);
});

test('rule pages and hovers carry the why, the fix, the versions and the lore threads', () => {
  for (const rule of RULES) {
    const page = ruleMarkdown(rule);
    assert.match(page, new RegExp(`^# ${rule.meta.id} \`${rule.meta.slug}\``));
    for (const heading of ['## Why', '## Fires when', '## Must not fire', '## Fix', '## Threads']) assert.ok(page.includes(heading), heading);
    assert.equal(page.match(/https:\/\/lore\.kernel\.org\/r\//g)?.length, rule.meta.references.length);
  }
  const hover = findingHoverMarkdown(ruleById('R1')!, { message: 'The first entry decides.', era: 'kernel 6.0+ (as given)' });
  assert.match(hover, /\*\*p2pcheck R1\*\*/);
  assert.match(hover, /\*\*Assumed here:\*\* kernel 6\.0\+/);
  assert.match(hover, /\[20220708165104\.5005-11-logang@deltatee\.com\]\(https:\/\/lore\.kernel\.org\/r\//);
});
