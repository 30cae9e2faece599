import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ensureDebianPackages } from '../helpers/debian.js';
import { CLI, PROJECT_ROOT } from '../helpers/paths.js';

/**
 * p2pcheck in b4 0.15-0.16's review screen, which cannot run here (it needs pygit2 >= 1.14): as
 * `review-agent-command` it writes the review files misc/agent-reviewer.md describes, and as
 * `review-perpatch-check-cmd`/`review-series-check-cmd` it prints the JSON that b4's own
 * src/b4/review/checks.py parses; that parser is run here, from ../shared/tools/b4/review-0.16,
 * with Debian's python3 and b4 0.14.3's core module.
 */
const B4 = join(PROJECT_ROOT, '..', 'shared', 'tools', 'b4');
const CHECKS_PY = join(B4, 'review-0.16', 'src', 'b4', 'review', 'checks.py');
const MARKER = '--- b4-review-tracking ---';

const tmp = mkdtempSync(join(tmpdir(), 'p2pcheck-review-'));
after(() => rmSync(tmp, { recursive: true, force: true }));
const repo = join(tmp, 'linux');
const env = {
  ...process.env, HOME: tmp, XDG_DATA_HOME: join(tmp, 'data'), XDG_CACHE_HOME: join(tmp, 'cache'), GIT_CONFIG_NOSYSTEM: '1',
  GIT_AUTHOR_NAME: 'Dev', GIT_AUTHOR_EMAIL: 'dev@example.org', GIT_COMMITTER_NAME: 'Maintainer', GIT_COMMITTER_EMAIL: 'maintainer@example.org',
};
function git(...args: string[]): string {
  const r = spawnSync('git', args, { cwd: repo, env, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout;
}
const write = (path: string, text: string) => writeFileSync(join(repo, path), text);

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
const MAP = '\tdemo->dma = dma_map_single(demo->dev, demo->buf, len, DMA_TO_DEVICE);\n';
const OLD = `// SPDX-License-Identifier: GPL-2.0
#include <linux/pci-p2pdma.h>

static int old_map(struct demo *demo, size_t len)
{
	demo->buf = pci_alloc_p2pmem(demo->pdev, len);
	if (!demo->buf)
		return -ENOMEM;
${MAP}	return 0;
}
`;

let shas: string[] = [];
let head = '';

before(() => {
  const missing = ensureDebianPackages(['python3-requests'], ['/usr/lib/python3/dist-packages/requests/__init__.py']);
  assert.equal(missing, undefined, missing);
  mkdirSync(join(repo, 'drivers', 'misc', 'demo'), { recursive: true });
  git('init', '-q', '-b', 'master');
  write('Makefile', 'VERSION = 6\nPATCHLEVEL = 12\nSUBLEVEL = 0\n');
  write('drivers/misc/demo/demo.c', DEMO);
  write('drivers/misc/demo/old.c', OLD);
  git('add', '.');
  git('commit', '-q', '-m', 'base');
  const base = git('rev-parse', 'HEAD').trim();
  git('checkout', '-q', '-b', 'b4/review/20260101-demo-v1');
  // 1: adds an R2 error (the P2P source is five lines above the hunk)
  write('drivers/misc/demo/demo.c', DEMO.replace('\treturn 0;\n}', `${MAP}\treturn 0;\n}`));
  git('commit', '-q', '-am', 'demo: map the buffer for the device');
  // 2: adds a clean line under an R2 the tree already has (a context line of the patch)
  write('drivers/misc/demo/old.c', OLD.replace(MAP, `${MAP}\tdemo->count = 0;\n`));
  git('commit', '-q', '-am', 'demo: reset the count in old_map');
  // 3: clean (its context shows patch 1's line, which is reported there, not as pre-existing here)
  write('drivers/misc/demo/demo.c', DEMO.replace('\treturn 0;\n}', `${MAP}\treturn 0;\n}`).replace('flags = 0', 'flags = 1'));
  git('commit', '-q', '-am', 'demo: start with flags set');
  // 4: an R2 error, but the maintainer marked the patch "skip"
  write('drivers/misc/demo/old.c', OLD.replace(MAP, `${MAP}\tdemo->dma2 = dma_map_single(demo->dev, demo->buf, len, DMA_TO_DEVICE);\n\tdemo->count = 0;\n`));
  git('commit', '-q', '-am', 'demo: map twice');
  shas = git('rev-list', '--reverse', `${base}..HEAD`).split('\n').filter(Boolean);
  const tracking = {
    series: { 'base-commit': base, 'first-patch-commit': shas[0], 'prerequisite-commits': [], subject: '[PATCH 0/4] demo: map the P2P buffer', fromname: 'Dev', fromemail: 'dev@example.org', link: 'https://lore.kernel.org/r/20260101-demo-v1-0-1@example.org' },
    followups: [],
    patches: [
      { title: 'demo: map the buffer for the device', 'header-info': { msgid: '20260101-demo-v1-1-1@example.org' } },
      { title: 'demo: reset the count in old_map', 'header-info': { msgid: '20260101-demo-v1-2-1@example.org' } },
      { title: 'demo: start with flags set', 'header-info': { msgid: '20260101-demo-v1-3-1@example.org' } },
      { title: 'demo: map twice', 'header-info': { msgid: '20260101-demo-v1-4-1@example.org' }, reviews: { 'maintainer@example.org': { 'patch-state': 'skip' } } },
    ],
  };
  git('commit', '-q', '--allow-empty', '-m', `demo: map the P2P buffer\n\nThe cover letter.\n\n${MARKER}\n# This section is used internally by b4 review for tracking purposes.\n${JSON.stringify(tracking, null, 2)}\n`);
  head = git('rev-parse', 'HEAD').trim();
});

describe('p2pcheck --b4-review-agent (b4.review-agent-command)', () => {
  let dir = '';
  let run: ReturnType<typeof spawnSync>;

  before(() => {
    // b4 runs the command from the top level and may pass the prompt after it: ignored
    run = spawnSync(process.execPath, [CLI, '--b4-review-agent', '--', 'Review the series as .git/agent-reviewer.md says'], { cwd: repo, env, encoding: 'utf8' });
    dir = join(repo, '.git', 'b4-review', head);
  });

  test('writes identity.txt, series.txt and one NNNN.txt per patch with findings; skipped and clean patches get none', () => {
    assert.equal(run.status, 0, String(run.stderr));
    assert.equal(run.stderr, '');
    assert.deepEqual(readdirSync(dir).sort(), ['0001.txt', '0002.txt', 'identity.txt', 'series.txt']);
    assert.match(readFileSync(join(dir, 'identity.txt'), 'utf8'), /^[^<>\n]+ <[^<>@\s]+@[^<>\s]+>\n$/);
    assert.equal(git('status', '--porcelain'), '', 'nothing else in the repository changes');
    assert.equal(git('rev-parse', 'HEAD').trim(), head);
  });

  test('series.txt: a one-line verdict, a blank line, the findings per patch', () => {
    const [summary, blank, ...body] = readFileSync(join(dir, 'series.txt'), 'utf8').split('\n');
    assert.equal(summary, 'p2pcheck: 1 error, 1 pre-existing in 2 of 3 patches (R2)');
    assert.equal(blank, '');
    assert.match(body.join('\n'), /^Patch 1, demo: map the buffer for the device: 1 error\n {2}drivers\/misc\/demo\/demo\.c:12: R2 p2p-single-map-api-on-p2p$/m);
    assert.match(body.join('\n'), /^Patch 2, demo: reset the count in old_map: 1 pre-existing\n {2}\(pre-existing\) drivers\/misc\/demo\/old\.c:9: R2 /m);
  });

  test('NNNN.txt: summary-plus-body note, the whole diff quoted with "> ", each finding under its + line with the fix', () => {
    const text = readFileSync(join(dir, '0001.txt'), 'utf8');
    const [summary, blank] = text.split('\n');
    assert.equal(summary, 'p2pcheck: 1 error (R2)');
    assert.equal(blank, '');
    const diff = git('diff', `${shas[0]}~1`, shas[0]!).replace(/\n$/, '').split('\n');
    const quoted = text.split('\n').filter((l) => l.startsWith('>')).map((l) => l.slice(2));
    assert.deepEqual(quoted, diff, 'every diff line quoted, none left out, in order');
    assert.ok(text.indexOf('> diff --git') > text.indexOf(summary!), 'the note comes before the first diff --git');
    assert.match(text, /^> \+\tdemo->dma = dma_map_single\(demo->dev, demo->buf, len, DMA_TO_DEVICE\);\n\nR2 p2p-single-map-api-on-p2p \(error\): dma_map_single\(\) maps demo->buf,\nwhich comes from pci_alloc_p2pmem\(\)/m);
    assert.match(text, /^Fix: dma_map_page\/dma_map_single cannot express P2P\./m);
    assert.match(text, /^Link: https:\/\/lore\.kernel\.org\/r\/\S+$/m);
    for (const line of text.split('\n')) if (!line.startsWith('>') && !line.startsWith('Link: ')) assert.ok(line.length <= 75, line);
  });

  test('a finding on a context line is marked pre-existing, under that line', () => {
    const text = readFileSync(join(dir, '0002.txt'), 'utf8');
    assert.match(text.split('\n')[0]!, /^p2pcheck: 1 pre-existing \(R2\)$/);
    assert.match(text, /^> {2}\tdemo->dma = dma_map_single\(demo->dev, demo->buf, len, DMA_TO_DEVICE\);\n\nPre-existing \(this patch does not add this line\): R2\np2p-single-map-api-on-p2p \(error\): /m);
  });

  test('outside a review branch: one line saying so, exit 2, nothing written', () => {
    git('checkout', '-q', 'master');
    try {
      const r = spawnSync(process.execPath, [CLI, '--b4-review-agent'], { cwd: repo, env, encoding: 'utf8' });
      assert.equal(r.status, 2);
      assert.match(r.stderr, /^p2pcheck: b4 review agent: HEAD is not the tip of a b4 review branch .*\n$/);
      assert.ok(!existsSync(join(repo, '.git', 'b4-review', git('rev-parse', 'HEAD').trim())));
    } finally {
      git('checkout', '-q', 'b4/review/20260101-demo-v1');
    }
  });
});

describe('p2pcheck --format b4-review (review-perpatch-check-cmd, review-series-check-cmd) through b4\'s checks.py', () => {
  interface Result { tool: string; status: string; summary: string; url: string; details: string }
  let results: Record<string, Result[]> = {};

  before(() => {
    const mails = join(tmp, 'mails');
    mkdirSync(mails);
    git('format-patch', '-q', '-o', mails, `${shas[0]}~1..${shas[2]}`);
    writeFileSync(join(mails, '0000-cover-letter.patch'), 'From: Dev <dev@example.org>\nSubject: [PATCH 0/4] demo: map the P2P buffer\nMessage-Id: <20260101-demo-v1-0-1@example.org>\n\nThe cover letter.\n');
    const harness = join(tmp, 'harness.py');
    writeFileSync(harness, `
import email, email.policy, importlib.util, json, os, sys
spec = importlib.util.spec_from_file_location('b4_review_checks', ${JSON.stringify(CHECKS_PY)})
checks = importlib.util.module_from_spec(spec)
spec.loader.exec_module(checks)
cmd = sys.argv[1]
topdir = sys.argv[2]
out = {}
for path in sorted(sys.argv[3:]):
    with open(path, 'rb') as f:
        msg = email.message_from_binary_file(f, policy=email.policy.EmailPolicy(utf8=True))
    name = os.path.basename(path)
    if name.startswith('0000-'):
        out[name] = checks.run_series_checks((name, msg), [cmd], topdir)
    else:
        out[name] = checks.run_perpatch_checks([(name, msg)], [cmd], topdir)[name]
print(json.dumps(out))
`);
    const files = readdirSync(mails).map((f) => join(mails, f));
    const cmd = `'${process.execPath}' '${CLI}' --format b4-review`;
    const r = spawnSync('/usr/bin/python3', [harness, cmd, repo, ...files], {
      cwd: repo, env: { ...env, PYTHONPATH: join(B4, 'src') }, encoding: 'utf8', timeout: 120_000,
    });
    assert.equal(r.status, 0, r.stderr);
    results = JSON.parse(r.stdout) as typeof results;
  });

  test('checks.py reads one p2pcheck column per message: fail for an error, with a lore URL to the rule\'s thread and the details', () => {
    const [first] = results['0001-demo-map-the-buffer-for-the-device.patch']!;
    assert.equal(first!.tool, 'p2pcheck');
    assert.equal(first!.status, 'fail');
    assert.equal(first!.summary, '1 error (R2)');
    assert.match(first!.url, /^https:\/\/lore\.kernel\.org\/r\/[^\s/]+$/);
    assert.match(first!.details, /^drivers\/misc\/demo\/demo\.c:12: ERROR: R2 p2p-single-map-api-on-p2p: /);
    assert.match(first!.details, /^ {2}fix: /m);
  });

  test('pre-existing findings are listed as such and do not raise the status', () => {
    const [second] = results['0002-demo-reset-the-count-in-old_map.patch']!;
    assert.deepEqual([second!.status, second!.summary], ['pass', 'no new P2PDMA/DMA-API findings (1 pre-existing)']);
    assert.match(second!.details, /^\(pre-existing\) drivers\/misc\/demo\/old\.c:9: ERROR: R2 /);
    // checked alone, patch 3 shows patch 1's line as context: pre-existing for it, still a pass
    const [third] = results['0003-demo-start-with-flags-set.patch']!;
    assert.deepEqual([third!.tool, third!.status, third!.summary], ['p2pcheck', 'pass', 'no new P2PDMA/DMA-API findings (1 pre-existing)']);
  });

  test('the series check (the cover letter) covers every patch of the review branch checked out', () => {
    assert.deepEqual(results['0000-cover-letter.patch']!.map((r) => [r.tool, r.status, r.summary]), [['p2pcheck', 'fail', '1 error (R2)']]);
  });
});
