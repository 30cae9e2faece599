import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { CATALOGUE, ERA_NOTES } from '../../src/analysis/catalogue.js';
import { reviewGuide } from '../../src/report/review-guide.js';
import { RULES } from '../../src/rules/index.js';
import { loreUrl } from '../../src/rules/rule.js';
import { cli } from './run-cli.js';

const guide = reviewGuide(RULES, 'test');

/** The part of the guide that belongs to one rule: from its heading to the next heading of that level. */
function sectionOf(id: string, slug: string): string {
  const start = guide.indexOf(`\n## ${id} ${slug}: `);
  assert.ok(start >= 0, `the guide has no section for ${id} ${slug}`);
  const end = guide.indexOf('\n## ', start + 1);
  return guide.slice(start, end < 0 ? undefined : end);
}

describe('--export-guide: the review guide made from the rule metadata', () => {
  const dir = mkdtempSync(join(tmpdir(), 'p2pcheck-guide-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('every registered rule carries the data the guide needs (a rule added without it fails here)', () => {
    for (const { meta: m } of RULES) {
      for (const field of ['summary', 'why', 'fix'] as const) assert.ok(m[field].trim().length > 20, `${m.id}: ${field} is empty or a stub`);
      assert.ok(m.name.trim() && /\d/.test(m.versions), `${m.id}: no name or no kernel versions`);
      assert.ok(m.firesWhen.length > 0, `${m.id}: no "fires when" bullets`);
      assert.ok(m.mustNotFire.length > 0, `${m.id}: no "must not fire" bullets (what is NOT a bug)`);
      assert.ok(m.references.length > 0, `${m.id}: no threads`);
      for (const r of m.references) {
        assert.match(r.messageId, /^[^<>\s]+@[^<>\s]+$/, `${m.id}: ${r.messageId} is not a bare Message-Id`);
        assert.ok(r.title.trim(), `${m.id}: a thread without a title`);
      }
    }
  });

  test('the guide names every registered rule with its why, checks, non-bugs, fix and lore links', () => {
    for (const { meta: m } of RULES) {
      const section = sectionOf(m.id, m.slug);
      assert.ok(section.includes(m.why), `${m.id}: why`);
      assert.ok(section.includes(`**Fix:** ${m.fix}`), `${m.id}: fix`);
      assert.ok(section.includes(`**Kernel versions:** ${m.versions}`), `${m.id}: versions`);
      for (const b of m.firesWhen) assert.ok(section.includes(`- ${b}\n`), `${m.id}: fires-when bullet ${b}`);
      for (const b of m.mustNotFire) assert.ok(section.includes(`- ${b}\n`), `${m.id}: must-not-fire bullet ${b}`);
      assert.ok(section.indexOf('**REPORT as bugs:**') < section.indexOf('**NOT a bug (do not report):**'));
      for (const r of m.references) assert.ok(section.includes(`${r.title}: ${loreUrl(r.messageId)}`), `${m.id}: ${r.messageId}`);
      if (m.examples) assert.ok(section.includes(`// WRONG\n${m.examples.fires}`) && section.includes(`// CORRECT\n${m.examples.quiet}`), `${m.id}: examples`);
      assert.ok(guide.includes(`- **${m.name}** (${m.id}): ${m.summary}`), `${m.id}: quick check`);
    }
    const headings = [...guide.matchAll(/^## (R\d+) /gm)].map((h) => h[1]);
    assert.deepEqual(headings, RULES.map((r) => r.meta.id), 'one section per rule, in the registry order');
  });

  test('the timeline is the catalogue\'s: every versioned identifier and every era note, in version order', () => {
    const table = guide.slice(guide.indexOf('## Kernel Version Timeline'), guide.indexOf('\n## R'));
    const rows = table.split('\n').filter((l) => /^\| \d+\.\d+ \|/.test(l));
    const versions = rows.map((l) => l.split(' | ')[0]!.slice(2));
    const order = versions.map((v) => v.split('.').map(Number)).map(([a, b]) => a! * 1000 + b!);
    assert.deepEqual(order, [...order].sort((a, b) => a - b));
    for (const row of CATALOGUE) {
      for (const [at, column] of [[row.since, 2], [row.until, 3]] as const) {
        if (at === undefined) continue;
        const line = rows.find((l) => l.startsWith(`| ${at} |`));
        assert.ok(line, `no timeline row for ${at} (${row.name})`);
        assert.ok(line.split(' | ')[column]!.includes(`\`${row.name}\``), `${row.name} not under ${at}`);
      }
    }
    for (const at of Object.keys(ERA_NOTES)) assert.ok(versions.includes(at), `era note ${at}`);
    for (const l of rows) assert.equal(l.split(/(?<!\\)\|/).length, 6, `four cells (pipes in cells escaped): ${l}`);
  });

  test('to standard output without a file, or with -', async () => {
    for (const argv of [['--export-guide'], ['--export-guide', '-']]) {
      const run = await cli(argv);
      assert.equal(run.code, 0, run.stderr);
      assert.equal(run.stdout, reviewGuide(RULES, (await import('../../src/cli/version.js')).VERSION));
      assert.match(run.stdout, /^# PCI P2PDMA and DMA-API Subsystem Details\n/);
      assert.equal(run.stderr, '');
    }
  });

  test('to a file, saying its size; an unwritable path is a usage error', async () => {
    const file = join(dir, 'p2pdma.md');
    const run = await cli(['--export-guide', file]);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stdout, '');
    const written = readFileSync(file, 'utf8');
    assert.match(written, /^# PCI P2PDMA and DMA-API Subsystem Details\n/);
    assert.match(run.stderr, new RegExp(`written to .*p2pdma\\.md \\(\\d+ lines, ${Buffer.byteLength(written)} bytes\\)`));
    const bad = await cli(['--export-guide', join(dir, 'missing', 'dir', 'guide.md')]);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /^p2pcheck: --export-guide: /);
  });

  test('--help lists the option', async () => {
    const help = await cli(['--help']);
    assert.match(help.stdout, /--export-guide \[file\]/);
  });
});
