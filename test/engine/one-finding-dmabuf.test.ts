import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { projectPath } from '../helpers/paths.js';
import { lintBytes } from '../helpers/lint.js';

/**
 * Spec "One finding per defect", point 3 (R16/R17 dma-buf): the exporter's missing peer2peer test
 * seen by R4 and R16 is one finding under R16 naming R4; sg_page() on an imported table is R17's,
 * not R10's (the spec moved imported tables to R17).
 */
test('R16 with R4 on a missing peer2peer test: one finding under R16, also R4', async () => {
  const path = projectPath('test', 'rules', 'R4-topology-unchecked', 'cases', 'fires-exporter-without-peer2peer.c');
  const findings = await lintBytes(path, readFileSync(path));
  const atField = findings.filter((f) => f.line === 35);
  assert.deepEqual(atField.map((f) => [f.rule, f.also]), [['R16', ['R4']]]);
});

test('sg_page() on an imported peer table: one R17 finding, and no R10 finding', async () => {
  const path = projectPath('test', 'rules', 'R17-dmabuf-direct-map-call', 'cases', 'fires-moved-from-r10-sg-page-sg-virt.c');
  const findings = await lintBytes(path, readFileSync(path));
  assert.deepEqual(findings.map((f) => f.rule), ['R17']);
  assert.equal(findings[0]!.severity, 'error');
  assert.ok(findings[0]!.related.length >= 2, 'the walk and the sg_virt() are related locations');
});
