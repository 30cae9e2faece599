import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ruleById } from '../../src/rules/index.js';
import { ensureEditor, runEditor } from './editors.js';

interface EglotResult {
  emacs: string;
  eglot: string;
  mode?: string;
  server?: string;
  wait_ms?: number;
  diagnostics?: { line: number; code: string; type: string; text: string }[];
  hover?: string;
  error?: string;
}

test('Emacs with Eglot (emacs --batch) gets the labelled findings at their lines through Flymake, and a hover', () => {
  ensureEditor([['emacs-nox', '/usr/bin/emacs'], ['elpa-eglot', '/usr/share/doc/elpa-eglot']]);
  const file = '06-nvmet-rdma-ensure-dma-support.reversed.patch';
  const { result, expected } = runEditor<EglotResult>(file, (dir) => ['emacs', ['--batch', '-q', '-l', `${dir}/p2pcheck-eglot.el`]]);
  assert.equal(result.error, undefined, result.error);
  assert.equal(result.server, 'p2pcheck', 'Eglot connected to the p2pcheck server');
  assert.equal(result.mode, 'diff-mode');
  const diagnostics = result.diagnostics ?? [];
  for (const e of expected.expected) {
    const hit = diagnostics.find((d) => e.rules.includes(d.code) && d.line === e.patchLine);
    assert.ok(hit, `no ${e.rule} at line ${e.patchLine} in Emacs ${result.emacs} / Eglot ${result.eglot}; Flymake shows ${diagnostics.map((d) => `${d.code}@${d.line}`).join(', ')}`);
    assert.match(hit.text, new RegExp(`^p2pcheck \\[${hit.code}\\]: `));
    assert.equal(hit.type, 'eglot-warning');
  }
  for (const d of diagnostics) assert.ok(expected.allowed.has(d.code), `unexpected ${d.code}`);
  const rule = ruleById(expected.expected[0]!.rule)!;
  assert.ok(result.hover?.includes(`**p2pcheck ${rule.meta.id}**`), `hover: ${result.hover}`);
  assert.ok(result.hover!.includes(rule.meta.why), 'the hover holds the rule text (why)');
  assert.ok(result.hover!.includes(rule.meta.fix), 'the hover holds the rule text (fix)');
});
