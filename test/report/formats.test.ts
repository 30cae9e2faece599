import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { formatGithub } from '../../src/report/github.js';
import { formatJson } from '../../src/report/json.js';
import { formatSarif } from '../../src/report/sarif.js';
import { formatText } from '../../src/report/text.js';
import { RULES } from '../../src/rules/index.js';
import type { Finding } from '../../src/rules/rule.js';
import { lintFile } from '../helpers/lint.js';
import { LABELLED } from '../helpers/paths.js';

const require = createRequire(import.meta.url);
/** The official SARIF 2.1.0 schema, as @microsoft/sarif-multitool ships it (no network needed). */
const SARIF_SCHEMA = join(require.resolve('@microsoft/sarif-multitool-linux/package.json'), '..', 'sarif-2.1.0.json');

const POSITIVES = [
  '07-nvme-pci-convert-dma-map-sgtable.reversed.patch',
  '02-rdma-rw-map-p2p-signature.reversed.patch',
  '06-nvmet-rdma-ensure-dma-support.reversed.patch',
];

let findings: Finding[] = [];
before(async () => {
  for (const f of POSITIVES) findings.push(...await lintFile(join(LABELLED, f)));
});

describe('SARIF', () => {
  test('validates against the SARIF 2.1.0 JSON schema', () => {
    const ajv = new Ajv2020.default({ strict: false, allErrors: true });
    addFormats.default(ajv);
    const validate = ajv.compile(JSON.parse(readFileSync(SARIF_SCHEMA, 'utf8')));
    const log = JSON.parse(formatSarif(findings, '0.1.0')) as { runs: { results: { level: string }[] }[] };
    assert.ok(validate(log), JSON.stringify(validate.errors?.slice(0, 5), null, 2));
    const broken = structuredClone(log);
    broken.runs[0].results[0].level = 'fatal';
    assert.equal(validate(broken), false, 'the schema check must reject a bad level');
  });

  test('describes every rule with help text and a help URI, and fingerprints every result', () => {
    const run = JSON.parse(formatSarif(findings, '0.1.0')).runs[0];
    assert.deepEqual(run.tool.driver.rules.map((r: { id: string }) => r.id), RULES.map((r) => r.meta.id));
    for (const rule of run.tool.driver.rules) {
      assert.match(rule.help.text, /Fix: /);
      assert.match(rule.helpUri, /^https:\/\/lore\.kernel\.org\/r\//);
    }
    assert.equal(run.results.length, findings.length);
    for (const r of run.results) {
      assert.ok(r.locations[0].physicalLocation.region.startLine > 0);
      assert.match(r.partialFingerprints['p2pcheck/v1'], /^[0-9a-f]{16}$/);
      assert.equal(run.tool.driver.rules[r.ruleIndex].id, r.ruleId);
    }
  });
});

describe('text, JSON and GitHub formats', () => {
  test('text: checkpatch-style lines with the fix, and nothing for no finding', () => {
    const text = formatText(findings);
    assert.match(text, /^drivers\/nvme\/host\/pci\.c:870: WARNING: R1 p2p-sgl-first-entry-homogeneity: /m);
    assert.match(text, /^ {2}fix: P2P status is per page\./m);
    assert.equal(formatText([]), '');
  });

  test('terse: one line per finding, at the patch position unless --showfile', () => {
    const terse = formatText(findings, { terse: true }).trimEnd().split('\n');
    assert.equal(terse.length, findings.length);
    assert.ok(terse.every((l) => /^\S+\.patch:\d+: (ERROR|WARNING|CHECK): R\d+ /.test(l)), terse.join('\n'));
    const showfile = formatText(findings, { terse: true, showfile: true });
    assert.match(showfile, /^drivers\/nvme\/target\/rdma\.c:417: WARNING: R3 /m);
  });

  test('JSON: version 1 with the documented fields', () => {
    const doc = JSON.parse(formatJson({ findings, repairs: [], problems: [] }));
    assert.equal(doc.version, 1);
    for (const f of doc.findings) {
      for (const key of ['rule', 'slug', 'severity', 'message', 'input', 'mail', 'subject', 'patchLine', 'path', 'line', 'column', 'fix', 'references']) {
        assert.ok(key in f, `missing ${key}`);
      }
      assert.ok(!/^[ab]\//.test(f.path));
      assert.ok(f.references.every((r: string) => r.startsWith('https://lore.kernel.org/r/')));
    }
  });

  test('GitHub: workflow commands with escaped properties', () => {
    const lines = formatGithub(findings).trimEnd().split('\n');
    assert.equal(lines.length, findings.length);
    assert.ok(lines.every((l) => /^::(error|warning|notice) file=[^,]+,line=\d+,col=\d+,title=R\d+ [a-z0-9-]+::/.test(l)), lines[0]);
    const tricky = formatGithub([{ ...findings[0]!, message: 'a,b:c\n100%' }]);
    assert.match(tricky, /::a,b:c%0A100%25 Fix:/);
  });
});
