import assert from 'node:assert/strict';
import { test } from 'node:test';
import { lintFile } from '../helpers/lint.js';
import { projectPath } from '../helpers/paths.js';

test('the example patch the README runs shows R1, R2 and R3 at their lines', async () => {
  const findings = await lintFile(projectPath('test', 'examples', 'p2p-example.patch'));
  assert.deepEqual(findings.map((f) => `${f.rule} ${f.path}:${f.line}`), [
    'R3 drivers/misc/p2pdemo/p2pdemo.c:17',
    'R2 drivers/misc/p2pdemo/p2pdemo.c:25',
    'R1 drivers/misc/p2pdemo/p2pdemo.c:38',
  ]);
});
