import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { newStats } from '../../src/engine/lint.js';
import { RULES } from '../../src/rules/index.js';
import type { Finding } from '../../src/rules/rule.js';
import { lintFile } from '../helpers/lint.js';
import { LABELLED, NOISE } from '../helpers/paths.js';

/**
 * The labelled corpus (../shared/corpus/labelled/labels.json, format in its README), scored for
 * the rules the catalog implements: every expectation found (a line within 2 counts), no finding
 * outside `expect`/`may`, none of `must_not`, nothing on noise.
 */
interface Label {
  rule: string;
  path: string;
  line: number | null;
  alt_rules?: string[];
}
interface Case {
  file: string;
  kind: string;
  expect: Label[];
  may?: Label[];
  must_not?: string[];
}

const TOLERANCE = 2;
const implemented = new Set(RULES.map((r) => r.meta.id));
const cases = JSON.parse(readFileSync(join(LABELLED, 'labels.json'), 'utf8')) as Case[];
const score = new Map<string, { tp: number; fp: number; fn: number }>();
const stats = newStats();
const row = (rule: string) => score.get(rule) ?? score.set(rule, { tp: 0, fp: 0, fn: 0 }).get(rule)!;

const ruleMatches = (f: Finding, l: Label) => f.rule === l.rule || (l.alt_rules ?? []).includes(f.rule);
const matches = (f: Finding, l: Label) =>
  ruleMatches(f, l) && f.path === l.path && (l.line === null || Math.abs(f.line - l.line) <= TOLERANCE);
const show = (f: Finding) => `${f.rule} ${f.path}:${f.line} ${f.message}`;

describe('labelled corpus', () => {
  for (const c of cases) {
    test(`${c.file} (${c.kind})`, async () => {
      const findings = await lintFile(join(LABELLED, c.file), {}, stats);
      const expected = c.expect.filter((e) => implemented.has(e.rule));
      const used = new Set<Finding>();
      const missed: string[] = [];
      for (const e of expected) {
        const hit = findings.find((f) => !used.has(f) && matches(f, e));
        if (hit) { used.add(hit); row(e.rule).tp++; } else { row(e.rule).fn++; missed.push(`${e.rule} ${e.path}:${e.line ?? '*'}`); }
      }
      const extra = findings.filter((f) => !used.has(f) && !(c.may ?? []).some((m) => matches(f, m)));
      for (const f of extra) row(f.rule).fp++;
      const forbidden = findings.filter((f) => (c.must_not ?? []).includes(f.rule));
      assert.deepEqual(missed, [], `missed expectations in ${c.file}`);
      assert.deepEqual(extra.map(show), [], `findings outside expect/may in ${c.file}`);
      assert.deepEqual(forbidden.map(show), [], `must_not rules fired in ${c.file}`);
    });
  }

  test('the corpus holds real positives for every headline rule', () => {
    for (const rule of ['R1', 'R2', 'R3']) {
      assert.ok(cases.some((c) => c.expect.some((e) => e.rule === rule)), `no labelled positive for ${rule}`);
    }
  });

  after(() => {
    const lines = [...score.entries()].sort().map(([r, v]) => `${r}\ttp=${v.tp}\tfp=${v.fp}\tfn=${v.fn}`);
    const rate = stats.fragments ? ((100 * stats.fragmentsWithErrors) / stats.fragments).toFixed(1) : '0';
    console.log(`labelled corpus, per rule:\n${lines.join('\n')}\nfragments parsed: ${stats.fragments}, with ERROR nodes: ${stats.fragmentsWithErrors} (${rate}%)`);
  });
});

describe('noise corpus', () => {
  const files = readdirSync(NOISE).filter((f) => f.endsWith('.patch'));
  test('holds the mails its README announces', () => assert.ok(files.length >= 150, `${files.length} noise mails`));
  test('gives zero findings on every noise mail', async () => {
    const noisy: string[] = [];
    for (const f of files) for (const finding of await lintFile(join(NOISE, f))) noisy.push(`${f}: ${show(finding)}`);
    assert.deepEqual(noisy, []);
  });
});
