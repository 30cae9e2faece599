import { projectPath } from '../../helpers/paths.js';
import { runRuleCases } from '../case-runner.js';

runRuleCases('R12', projectPath('test', 'rules', 'R12-bio-mixed-merge', 'cases'));

// issue 14 spec revision: the P2P marker of a bio, per version
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkPatches } from '../../../src/engine/lint.js';
import { readInput } from '../../../src/input/read-input.js';
import { parseVersion } from '../../../src/analysis/kernel-era.js';

const STRIP = [
  'Subject: [PATCH] block: let split bios merge', '', '---',
  'diff --git a/block/blk-split.c b/block/blk-split.c', '--- a/block/blk-split.c', '+++ b/block/blk-split.c',
  '@@ -10,3 +10,4 @@ static void blk_split_done(struct bio *split)', ' {', '+\tsplit->bi_opf &= ~REQ_NOMERGE;', ' \tbio_endio(split);', ' }', '',
].join('\n');

test('R12 names the bio marker of the target: REQ_P2PDMA | REQ_NOMERGE on 6.17, REQ_NOMERGE alone from 6.18', async () => {
  const message = async (v: string) => (await checkPatches(await readInput('x.patch', Buffer.from(STRIP)), { kernelVersion: parseVersion(v) }))
    .findings.filter((f) => f.rule === 'R12').map((f) => f.message);
  assert.match((await message('6.17'))[0]!, /\(REQ_P2PDMA \| REQ_NOMERGE on 6\.17\)/);
  for (const v of ['6.18', '6.19', '7.1']) {
    const [m] = await message(v);
    assert.match(m!, /\(REQ_NOMERGE from 6\.18 on\)/, v);
    assert.doesNotMatch(m!, /REQ_P2PDMA/, v);
  }
  assert.deepEqual(await message('6.16'), [], 'no marker to strip before 6.17');
});
