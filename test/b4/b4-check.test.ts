import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ensureDebianPackages } from '../helpers/debian.js';
import { CLI, CORPUS, LABELLED, PROJECT_ROOT } from '../helpers/paths.js';

/**
 * p2pcheck as b4's per-patch check command, run by real b4 0.14.3 (the first release with
 * per-patch checks; ../shared/tools/b4) offline, on a small kernel-like git repository built
 * here: `b4 am` on local mails (a corpus series not based on this tree, a labelled patch with an
 * error) and `b4 prep --check` on committed patches.
 */
const B4 = join(PROJECT_ROOT, '..', 'shared', 'tools', 'b4', 'b4');
const SERIES = join(CORPUS, 'series', '2019-08-12-p2pdma-host-bridge-v3.mbox');
const GUP = join(LABELLED, '13-mm-gup-allow-longterm-p2pdma.patch'); // R11 error, patch 3/4 of a series
const GUP_MSGID = '20240808183340.483468-4-martin.oliveira@eideticom.com';
const EXAMPLE = join(PROJECT_ROOT, 'test', 'examples', 'p2p-example.patch');

const tmp = mkdtempSync(join(tmpdir(), 'p2pcheck-b4-'));
after(() => rmSync(tmp, { recursive: true, force: true }));
const repo = join(tmp, 'linux');
const bin = join(tmp, 'bin');
const env = {
  ...process.env,
  PATH: `${bin}:${process.env.PATH}`, HOME: tmp, XDG_CACHE_HOME: join(tmp, 'cache'), XDG_DATA_HOME: join(tmp, 'data'), XDG_CONFIG_HOME: join(tmp, 'config'),
  GIT_CONFIG_NOSYSTEM: '1', GIT_AUTHOR_DATE: '2026-01-01T00:00:00Z', GIT_COMMITTER_DATE: '2026-01-01T00:00:00Z',
};

function run(cmd: string, args: string[], cwd = repo): { status: number | null; out: string } {
  const r = spawnSync(cmd, args, { cwd, env, encoding: 'utf8', input: '', timeout: 180_000 });
  assert.equal(r.error, undefined, `${cmd}: ${r.error?.message}`);
  // b4 logs to standard error, colours its flags; the flag colour says what b4 counted
  const out = `${r.stdout}${r.stderr}`.replace(/\x1b\[32m●\x1b\[0m/g, '[pass]').replace(/\x1b\[31;5m●\x1b\[0m/g, '[FAIL]').replace(/\x1b\[31m●\x1b\[0m/g, '[warn]');
  return { status: r.status, out };
}
const git = (...args: string[]) => {
  const r = run('git', args);
  assert.equal(r.status, 0, r.out);
  return r.out;
};
/** b4 caches check results per command and Message-Id: every run starts without them. */
function b4(...args: string[]): string {
  rmSync(join(tmp, 'cache'), { recursive: true, force: true });
  const r = run(B4, args);
  assert.equal(r.status, 0, r.out);
  return r.out;
}
/** A check line up to the rule's slug: `[FAIL] p2pcheck: path:line: ERROR: R2 slug`. */
const head = (line: string) => line.split(': ').slice(0, 4).join(': ');

/** The flagged lines b4 printed for the patch whose subject line matches. */
function checksOf(out: string, subject: RegExp): string[] {
  const lines = out.split('\n');
  const at = lines.findIndex((l) => subject.test(l));
  assert.ok(at >= 0, `no ${subject} in\n${out}`);
  const checks: string[] = [];
  for (const l of lines.slice(at + 1)) {
    if (!/^\s+\[(pass|warn|FAIL)\] /.test(l)) break;
    checks.push(l.trim());
  }
  return checks;
}

const DEMO = `// SPDX-License-Identifier: GPL-2.0
#include <linux/pci-p2pdma.h>

static int demo_map(struct demo *demo, size_t len)
{
	demo->buf = pci_alloc_p2pmem(demo->pdev, len);
	if (!demo->buf)
		return -ENOMEM;
	demo->len = len;
	demo->flags = 0;
	demo->count = 0;
	return 0;
}
`;

before(() => {
  const missing = ensureDebianPackages(['python3-requests', 'python3-dkim', 'patatt', 'git-filter-repo'], [
    '/usr/lib/python3/dist-packages/requests/__init__.py', '/usr/lib/python3/dist-packages/dkim/__init__.py', '/usr/bin/patatt',
    '/usr/lib/python3/dist-packages/git_filter_repo.py',
  ]);
  assert.equal(missing, undefined, missing);
  assert.ok(existsSync(B4), `${B4} missing: ../shared/tools/b4 comes with ../shared`);
  // p2pcheck on the PATH under its own name, as an installed one is, so that b4 prefixes its lines with "p2pcheck:"
  mkdirSync(bin);
  writeFileSync(join(bin, 'p2pcheck'), `#!/bin/sh\nexec '${process.execPath}' '${CLI}' "$@"\n`);
  chmodSync(join(bin, 'p2pcheck'), 0o755);
  // a kernel checkout as p2pcheck recognises one (Makefile VERSION/PATCHLEVEL), with one driver
  mkdirSync(join(repo, 'drivers', 'misc', 'demo'), { recursive: true });
  git('init', '-q', '-b', 'master');
  git('config', 'user.name', 'Maintainer');
  git('config', 'user.email', 'maintainer@example.org');
  writeFileSync(join(repo, 'Makefile'), 'VERSION = 6\nPATCHLEVEL = 12\nSUBLEVEL = 0\n');
  writeFileSync(join(repo, 'drivers', 'misc', 'demo', 'demo.c'), DEMO);
  git('add', '.');
  git('commit', '-q', '-m', 'base');
});

describe('b4 am with p2pcheck as am-perpatch-check-cmd (git config)', () => {
  test('a corpus series based on another tree: no failure from "does not apply" or "not in the tree", findings as warnings', () => {
    git('config', 'b4.am-perpatch-check-cmd', 'p2pcheck --format b4');
    const out = b4('--offline-mode', 'am', '-k', '-m', SERIES, '-o', join(tmp, 'am-series'), '20190812173048.9186-1-logang@deltatee.com');
    assert.doesNotMatch(out, /\[FAIL\]/, 'nothing failed');
    assert.doesNotMatch(out, /p2pcheck: p2pcheck:|note:|does not apply|not in the/);
    // patch 8 changes only the mapper in an arm of an existing first-entry test: the decision is not
    // what it adds, so it passes (the reviewer's verdict on real code); patch 9 adds two decisions
    for (const n of [1, 2, 3, 4, 5, 6, 7, 8, 10, 11, 12, 13, 14]) {
      assert.deepEqual(checksOf(out, new RegExp(`\\[PATCH v3 ${n}/14\\]`)), ['[pass] p2pcheck: passed all checks'], `patch ${n}`);
    }
    assert.equal(checksOf(out, /\[PATCH v3 9\/14\]/).length, 2);
    assert.match(out, /Total patches: 14/);
  });

  test('a patch with an error fails its check, at the target file line', () => {
    git('config', 'b4.am-perpatch-check-cmd', 'p2pcheck --format b4');
    const maildir = join(tmp, 'maildir');
    for (const d of ['cur', 'new', 'tmp']) mkdirSync(join(maildir, d), { recursive: true });
    symlinkSync(GUP, join(maildir, 'new', '1.eml')); // b4 -m reads an mbox or a maildir; the corpus mail is read in place
    const out = b4('--offline-mode', 'am', '-k', '-m', maildir, '-o', join(tmp, 'am-gup'), GUP_MSGID);
    assert.deepEqual(checksOf(out, /\[PATCH v5 3\/4\] mm\/gup/).map(head), [
      '[FAIL] p2pcheck: mm/gup.c:2550: ERROR: R11 p2p-gup-flag-gating',
    ]);
  });

  test('setting the command replaces checkpatch; the multi-valued form runs both; .b4-config cannot set it', () => {
    mkdirSync(join(repo, 'scripts'), { recursive: true });
    writeFileSync(join(repo, 'scripts', 'checkpatch.pl'), '#!/bin/sh\necho "-:1: CHECK: stub checkpatch.pl ran"\n');
    chmodSync(join(repo, 'scripts', 'checkpatch.pl'), 0o755);
    const maildir = join(tmp, 'maildir');
    const am = () => b4('--offline-mode', 'am', '-k', '-m', maildir, '-o', join(tmp, 'am-both'), GUP_MSGID);
    try {
      git('config', '--unset-all', 'b4.am-perpatch-check-cmd');
      assert.deepEqual(checksOf(am(), /\[PATCH v5 3\/4\]/), ['[warn] checkpatch.pl: 1: CHECK: stub checkpatch.pl ran'], 'nothing configured: checkpatch');
      git('config', 'b4.am-perpatch-check-cmd', 'p2pcheck --format b4');
      assert.deepEqual(checksOf(am(), /\[PATCH v5 3\/4\]/).map((l) => l.split(':')[0]), ['[FAIL] p2pcheck'], 'p2pcheck alone');
      git('config', '--add', 'b4.am-perpatch-check-cmd', './scripts/checkpatch.pl -q --terse --no-summary --mailback');
      assert.deepEqual(checksOf(am(), /\[PATCH v5 3\/4\]/).map((l) => l.split(':')[0]), ['[FAIL] p2pcheck', '[warn] checkpatch.pl'], 'both');
      git('config', '--unset-all', 'b4.am-perpatch-check-cmd');
      writeFileSync(join(repo, '.b4-config'), '[b4]\n  am-perpatch-check-cmd = p2pcheck --format b4\n');
      assert.deepEqual(checksOf(am(), /\[PATCH v5 3\/4\]/).map((l) => l.split(':')[0]), ['[warn] checkpatch.pl'], '.b4-config is not read for am');
    } finally {
      rmSync(join(repo, '.b4-config'), { force: true });
      rmSync(join(repo, 'scripts'), { recursive: true, force: true });
      run('git', ['config', '--unset-all', 'b4.am-perpatch-check-cmd']);
    }
  });
});

describe('b4 prep --check with p2pcheck as prep-perpatch-check-cmd (.b4-config)', () => {
  test('committed patches are checked in the tree that holds them: whole functions, no failure for a clean one', () => {
    writeFileSync(join(repo, '.b4-config'), '[b4]\n  prep-perpatch-check-cmd = p2pcheck --format b4\n');
    git('add', '.b4-config');
    git('commit', '-q', '-m', 'b4 config');
    b4('prep', '-n', 'demo');
    // 1: maps the P2P buffer allocated five lines above the hunk (only whole-file context sees it)
    writeFileSync(join(repo, 'drivers', 'misc', 'demo', 'demo.c'), DEMO.replace('\treturn 0;\n}', '\tdemo->dma = dma_map_single(demo->dev, demo->buf, len, DMA_TO_DEVICE);\n\treturn 0;\n}'));
    git('commit', '-q', '-am', 'demo: map the buffer for the device');
    // 2: clean
    writeFileSync(join(repo, 'drivers', 'misc', 'demo', 'demo.c'), DEMO.replace('\treturn 0;\n}', '\tdemo->dma = dma_map_single(demo->dev, demo->buf, len, DMA_TO_DEVICE);\n\treturn 0;\n}').replace('flags = 0', 'flags = 1'));
    git('commit', '-q', '-am', 'demo: start with flags set');
    // 3: the project's example patch, a new file
    git('am', '-q', EXAMPLE);
    const out = b4('prep', '--check');
    assert.doesNotMatch(out, /p2pcheck: p2pcheck:|note:|does not apply/);
    assert.deepEqual(checksOf(out, /: demo: map the buffer for the device$/).map(head), [
      '[FAIL] p2pcheck: drivers/misc/demo/demo.c:12: ERROR: R2 p2p-single-map-api-on-p2p',
    ], out);
    assert.match(out, /^\[pass\] [0-9a-f]{12}: demo: start with flags set$/m);
    assert.deepEqual(checksOf(out, /: misc: p2pdemo: add a P2P-capable demo block device$/).map((l) => l.split(': ').slice(1, 4).join(': ')), [
      'drivers/misc/p2pdemo/p2pdemo.c:17: WARNING: R3 p2p-custom-dma-ops',
      'drivers/misc/p2pdemo/p2pdemo.c:25: ERROR: R2 p2p-single-map-api-on-p2p',
      'drivers/misc/p2pdemo/p2pdemo.c:38: WARNING: R1 p2p-sgl-first-entry-homogeneity',
    ]);
    assert.match(out, /^Success: 1, Warning: 2, Error: 2$/m);
    // as fragments (the hunk alone) the P2P source is out of sight: the tree is what finds it
    const fragments = spawnSync(process.execPath, [CLI, '--format', 'b4', '--no-tree', '-'], { cwd: repo, input: git('format-patch', '--stdout', 'HEAD~3..HEAD~2'), encoding: 'utf8' });
    assert.equal(fragments.stdout, '');
  });
});
