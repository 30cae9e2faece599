import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import { runCli } from '../../src/cli/run.js';
import { CLI } from '../helpers/paths.js';

/**
 * Tree mode on a small kernel-like tree made by the test: a git repository with a top-level
 * Makefile (6.12) and drivers/foo/foo.c. Patches come from git itself, so their hunks are exact.
 */
const FILLER = Array.from({ length: 8 }, (_, i) => `\t\tfoo_step(f, ${i});`);

const BASE = [
  'VERSION = 6', 'PATCHLEVEL = 12', 'SUBLEVEL = 0',
];

function fooC(body: { guarded: string[]; unguarded: string[] }): string {
  return [
    '// SPDX-License-Identifier: GPL-2.0',
    '#include <linux/pci-p2pdma.h>',
    '',
    'static int foo_guarded(struct foo *f, struct device *dev)',
    '{',
    '\tvoid *buf;',
    '\tdma_addr_t addr;',
    '',
    '\tif (!IS_ENABLED(CONFIG_PCI_P2PDMA)) {',
    ...FILLER,
    '\t\tbuf = pci_alloc_p2pmem(f->pdev, SZ_4K);',
    '\t\tif (!buf)',
    '\t\t\treturn -ENOMEM;',
    ...body.guarded,
    '\t}',
    '\treturn 0;',
    '}',
    '',
    'static int foo_unguarded(struct foo *f, struct device *dev)',
    '{',
    '\tvoid *buf = pci_alloc_p2pmem(f->pdev, SZ_4K);',
    '\tdma_addr_t addr;',
    '',
    '\tif (!buf)',
    '\t\treturn -ENOMEM;',
    ...FILLER.map((l) => l.slice(1)),
    ...body.unguarded,
    '\treturn 0;',
    '}',
    '',
  ].join('\n');
}

const MAP = '\t\taddr = dma_map_single(dev, buf, SZ_4K, DMA_TO_DEVICE);';
let repo = '';
const git = (...args: string[]) => execFileSync('git', args, { cwd: repo, encoding: 'utf8' });
const file = (path: string, text: string) => { mkdirSync(join(repo, path, '..'), { recursive: true }); writeFileSync(join(repo, path), text); };

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runCli(args, { stdout: (t) => { out += t; }, stderr: (t) => { err += t; }, stdin: async () => Buffer.alloc(0), stdinIsTTY: true });
  return { code, out, err };
}

interface Removed { kind: string; removed: { rule: string; line: number; fact: string } }
const findingsOf = (out: string) => (JSON.parse(out) as { findings: { rule: string; line: number; mail: number }[]; notes?: { message: string }[] });

before(() => {
  repo = mkdtempSync(join(tmpdir(), 'p2pcheck-tree-'));
  git('init', '-q');
  git('config', 'user.email', 'tree@example.org');
  git('config', 'user.name', 'tree');
  file('Makefile', `${BASE.join('\n')}\n`);
  file('drivers/foo/foo.c', fooC({ guarded: [], unguarded: [] }));
  git('add', '.');
  git('commit', '-qm', 'base');
});

describe('tree context', () => {
  test('a guard outside the hunk removes the finding that fragment analysis gives', async () => {
    file('drivers/foo/foo.c', fooC({ guarded: [MAP], unguarded: [] }));
    const patch = join(repo, 'guarded.patch');
    writeFileSync(patch, git('diff'));
    git('checkout', '-q', '--', '.');
    const fragments = findingsOf((await cli(['--format', 'json', '--rules', 'R2', patch])).out).findings;
    assert.deepEqual(fragments.map((f) => [f.rule, f.line]), [['R2', 21]], 'the hunk alone shows the P2P buffer being mapped');
    const doc = JSON.parse((await cli(['--format', 'json', '--rules', 'R2', '--tree', repo, patch])).out) as { findings: unknown[]; notes: Removed[] };
    assert.deepEqual(doc.findings, [], 'the !IS_ENABLED(CONFIG_PCI_P2PDMA) block 12 lines up proves the memory is not P2P');
    assert.deepEqual(doc.notes.map((n) => [n.kind, n.removed.rule, n.removed.line]), [['tree-removed', 'R2', 21]], 'the JSON says which finding went');
    assert.equal(doc.notes[0]!.removed.fact, '"if (!IS_ENABLED(CONFIG_PCI_P2PDMA)) {" at line 9 of drivers/foo/foo.c in the tree, in foo_guarded() outside the hunk');
    const stats = await cli(['--stats', '--rules', 'R2', '--tree', repo, patch]);
    assert.match(stats.err, /: 0 files did not apply, 1 fragment findings removed by tree context, 0 kept/);
    assert.match(stats.err, /^p2pcheck: tree-removed: .*guarded\.patch: drivers\/foo\/foo\.c:21 R2 by "if \(!IS_ENABLED\(CONFIG_PCI_P2PDMA\)\) \{" at line 9 /m);
    assert.equal((await cli(['--terse', '--rules', 'R2', '--tree', repo, patch])).err, '', '--terse prints no note');
  });

  test('a fact in another function does not remove what the hunk shows (a flag mask that names both GUP flags)', async () => {
    const gup = (rejection: string[]) => [
      '// SPDX-License-Identifier: GPL-2.0-only',
      'static bool is_valid_gup_args(struct page **pages, int *locked, unsigned int *gup_flags_p, unsigned int to_set)',
      '{',
      '	unsigned int gup_flags = *gup_flags_p;',
      '',
      '	if (WARN_ON_ONCE((gup_flags & (FOLL_GET | FOLL_PIN)) && !pages))',
      '		return false;',
      '',
      ...rejection,
      '	*gup_flags_p = gup_flags;',
      '	return true;',
      '}',
      '',
      'static long gup_fast_fallback(unsigned long start, unsigned long nr_pages, unsigned int gup_flags, struct page **pages)',
      '{',
      '	if (WARN_ON_ONCE(gup_flags & ~(FOLL_WRITE | FOLL_LONGTERM | FOLL_FORCE | FOLL_PIN | FOLL_GET |',
      '				       FOLL_FAST_ONLY | FOLL_NOFAULT | FOLL_PCI_P2PDMA)))',
      '		return -EINVAL;',
      '	return nr_pages;',
      '}',
      '',
    ].join('\n');
    const rejection = ['\tif (WARN_ON_ONCE((gup_flags & FOLL_LONGTERM) &&', '\t\t\t (gup_flags & FOLL_PCI_P2PDMA)))', '\t\treturn false;', ''];
    file('mm/gup.c', gup(rejection));
    git('add', 'mm/gup.c');
    git('commit', '-qm', 'gup');
    file('mm/gup.c', gup([]));
    const patch = join(repo, 'gup.patch');
    writeFileSync(patch, git('diff'));
    git('checkout', '-q', '--', '.');
    const fragments = findingsOf((await cli(['--format', 'json', '--rules', 'R11', '--kernel-version', '6.12', patch])).out).findings;
    assert.deepEqual(fragments.map((f) => f.rule), ['R11'], 'the hunk shows the rejection going');
    const run = await cli(['--format', 'json', '--rules', 'R11', '--kernel-version', '6.12', '--stats', '--tree', repo, patch]);
    assert.deepEqual(findingsOf(run.out).findings.map((f) => [f.rule, f.line]), fragments.map((f) => [f.rule, f.line]));
    assert.match(run.err, /0 fragment findings removed by tree context, 1 kept \(the removing fact was in another function\)/);
    git('reset', '-q', '--hard', 'HEAD~1');
  });

  test('a P2P source outside the hunk creates the finding that the fragment cannot see', async () => {
    file('drivers/foo/foo.c', fooC({ guarded: [], unguarded: [MAP.slice(1)] }));
    const patch = join(repo, 'unguarded.patch');
    writeFileSync(patch, git('diff'));
    git('checkout', '-q', '--', '.');
    assert.deepEqual(findingsOf((await cli(['--format', 'json', '--rules', 'R2', patch])).out).findings, []);
    const run = await cli(['--format', 'json', '--rules', 'R2', '--tree', repo, patch]);
    assert.deepEqual(findingsOf(run.out).findings.map((f) => [f.rule, f.line]), [['R2', 40]]);
    assert.equal(run.code, 1);
  });

  test('the tree Makefile gives the kernel version', async () => {
    file('drivers/foo/foo.c', fooC({ guarded: [], unguarded: [MAP.slice(1)] }));
    const patch = join(repo, 'era.patch');
    writeFileSync(patch, git('diff'));
    git('checkout', '-q', '--', '.');
    const doc = JSON.parse((await cli(['--format', 'json', '--tree', repo, patch])).out) as { findings: { era: string }[] };
    assert.equal(doc.findings[0]!.era, `kernel 6.12 (from the Makefile of the tree ${repo}, which the patch applies to)`);
  });

  test('a series applies in order: the later patch sees the field the earlier one fills', async () => {
    git('checkout', '-q', '-b', 'series');
    const withField = readFileSync(join(repo, 'drivers/foo/foo.c'), 'utf8')
      .replace('\tvoid *buf = pci_alloc_p2pmem(f->pdev, SZ_4K);', '\tvoid *buf = pci_alloc_p2pmem(f->pdev, SZ_4K);\n\n\tf->cmb = buf;');
    file('drivers/foo/foo.c', withField);
    git('commit', '-qam', 'foo: keep the CMB');
    file('drivers/foo/foo.c', `${withField}static dma_addr_t foo_map_cmb(struct foo *f, struct device *peer)\n{\n\treturn dma_map_single(peer, f->cmb, SZ_4K, DMA_TO_DEVICE);\n}\n`);
    git('commit', '-qam', 'foo: map the CMB for a peer');
    const mbox = join(repo, 'series.mbox');
    writeFileSync(mbox, git('format-patch', '--stdout', 'HEAD~2..HEAD'));
    git('checkout', '-q', 'HEAD~2');
    const alone = findingsOf((await cli(['--format', 'json', '--rules', 'R2', mbox])).out).findings;
    assert.deepEqual(alone, [], 'the second mail alone does not show where f->cmb comes from');
    const series = findingsOf((await cli(['--format', 'json', '--rules', 'R2', '--tree', repo, mbox])).out).findings;
    assert.deepEqual(series.map((f) => [f.mail, f.rule, f.line]), [[1, 'R2', 46]]);
    git('checkout', '-q', 'series');
  });

  test('a patch that does not apply falls back to fragments and says so in every format', async () => {
    file('drivers/foo/foo.c', fooC({ guarded: [MAP], unguarded: [] }));
    const patch = join(repo, 'stale.patch');
    writeFileSync(patch, git('diff'));
    git('checkout', '-q', '--', '.');
    const other = mkdtempSync(join(tmpdir(), 'p2pcheck-other-tree-'));
    mkdirSync(join(other, 'drivers', 'foo'), { recursive: true });
    writeFileSync(join(other, 'drivers', 'foo', 'foo.c'), 'int unrelated;\n');
    const json = findingsOf((await cli(['--format', 'json', '--rules', 'R2', '--tree', other, patch])).out);
    assert.deepEqual(json.findings.map((f) => [f.rule, f.line]), [['R2', 21]], 'fragment analysis still runs');
    assert.match(json.notes![0]!.message, /^does not apply to the tree .*; its hunks were analysed as fragments$/);
    const text = await cli(['--rules', 'R2', '--tree', other, patch]);
    assert.match(text.err, /^p2pcheck: note: .*stale\.patch: drivers\/foo\/foo\.c does not apply/m);
    const terse = await cli(['--terse', '--rules', 'R2', '--tree', other, patch]);
    assert.deepEqual([terse.code, terse.err, terse.out.split('\n').filter(Boolean).length], [1, '', 1], 'a note, not an error: exit by the finding (an R2 error), nothing on stderr in --terse');
    const sarif = JSON.parse((await cli(['--format', 'sarif', '--rules', 'R2', '--tree', other, patch])).out);
    assert.match(sarif.runs[0].invocations[0].toolExecutionNotifications[0].message.text, /does not apply/);
    assert.match((await cli(['--format', 'github', '--rules', 'R2', '--tree', other, patch])).out, /^::notice file=drivers\/foo\/foo\.c,title=p2pcheck::.*does not apply/m);
  });
});

describe('git mode', () => {
  const run = (args: string[]) => spawnSync(process.execPath, [CLI, '--format', 'json', '--rules', 'R2', ...args], { cwd: repo, encoding: 'utf8' });

  test('--git RANGE lints every commit with the file context of its base', () => {
    const r = run(['--git', 'HEAD~2..series']);
    assert.equal(r.status, 1, r.stderr);
    assert.deepEqual(findingsOf(r.stdout).findings.map((f) => [f.mail, f.line]), [[1, 46]]);
    const one = run(['--git', 'series']);
    assert.deepEqual(findingsOf(one.stdout).findings.map((f) => [f.mail, f.line]), [[0, 46]], 'one commit is REV^..REV');
  });

  test('--staged and --worktree lint what is not committed yet, in context', () => {
    git('checkout', '-q', 'series');
    file('drivers/foo/foo.c', readFileSync(join(repo, 'drivers/foo/foo.c'), 'utf8').replace('\treturn 0;\n}\nstatic dma_addr_t', `${MAP.slice(1)}\n\treturn 0;\n}\nstatic dma_addr_t`));
    const worktree = run(['--worktree']);
    assert.deepEqual(findingsOf(worktree.stdout).findings.map((f) => f.rule), ['R2'], worktree.stderr);
    const nothingStaged = run(['--staged']);
    assert.deepEqual([nothingStaged.status, nothingStaged.stdout.length > 0, findingsOf(nothingStaged.stdout).findings], [0, true, []]);
    git('add', 'drivers/foo/foo.c');
    assert.deepEqual(findingsOf(run(['--staged']).stdout).findings.map((f) => f.rule), ['R2']);
    assert.deepEqual(findingsOf(run(['--worktree']).stdout).findings, []);
    git('reset', '-q', '--hard');
  });

  test('--git: the commits are the tree\'s own history, so an old author date does not bound the era', () => {
    git('checkout', '-q', 'series');
    file('drivers/foo/foo.c', readFileSync(join(repo, 'drivers/foo/foo.c'), 'utf8').replace('\treturn 0;\n}\nstatic dma_addr_t', `${MAP.slice(1)}\n\treturn 0;\n}\nstatic dma_addr_t`));
    const old = '2019-05-01T10:00:00Z';
    execFileSync('git', ['commit', '-qam', 'foo: map again'], { cwd: repo, env: { ...process.env, GIT_AUTHOR_DATE: old, GIT_COMMITTER_DATE: old } });
    const r = run(['--git', 'HEAD']);
    const eras = (JSON.parse(r.stdout) as { findings: { era: string }[] }).findings.map((f) => f.era);
    assert.equal(eras.length, 1, r.stderr);
    assert.match(eras[0]!, /^kernel 6\.12 \(from the Makefile of the git [0-9a-f]{40}, which the patch applies to\)$/);
    const mail = join(repo, 'old.patch');
    writeFileSync(mail, git('format-patch', '--stdout', '-1'));
    git('reset', '-q', '--hard', 'HEAD~1');
    const posted = JSON.parse(spawnSync(process.execPath, [CLI, '--format', 'json', '--rules', 'R2', '--tree', repo, mail], { encoding: 'utf8' }).stdout) as { findings: { era: string }[] };
    assert.deepEqual(posted.findings.map((f) => f.era), ['kernel before 5.4 (from the Date header (2019-05-01: 5.3 at the newest))'],
      'the same patch as a mail dated 2019: the Date bounds it, and a 6.12 tree it applies to cannot be its target');
  });

  test('a bad range is a usage error with one line', () => {
    const r = run(['--git', 'no-such-branch..HEAD']);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /^p2pcheck: git: .+\n$/);
  });
});
