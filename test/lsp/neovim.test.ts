import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ruleById } from '../../src/rules/index.js';
import { ensureEditor, runEditor } from './editors.js';

interface NvimResult {
  nvim: string;
  started_with: string;
  got_all: boolean;
  wait_ms: number;
  diagnostics?: { line: number; col: number; end_col: number; severity: number; source: string; code: string; message: string }[];
  hover?: string;
  code_actions?: string[];
  error?: string;
}

test("Neovim's built-in LSP client (nvim --headless) gets the labelled findings at their lines, a hover and the code actions", () => {
  ensureEditor([['neovim', '/usr/bin/nvim']]);
  const file = '07-nvme-pci-convert-dma-map-sgtable.reversed.patch';
  const { result, expected } = runEditor<NvimResult>(file, (dir) => ['nvim', ['--headless', '--clean', '-u', 'NONE', '-i', 'NONE', '-n', '-c', `luafile ${dir}/p2pcheck-nvim.lua`]]);
  assert.equal(result.error, undefined, result.error);
  assert.ok(result.got_all, `Neovim ${result.nvim} holds ${result.diagnostics?.length ?? 0} diagnostics after ${result.wait_ms} ms`);
  const diagnostics = result.diagnostics!;
  for (const e of expected.expected) {
    const hit = diagnostics.find((d) => e.rules.includes(d.code) && d.line === e.patchLine);
    assert.ok(hit, `no ${e.rule} at line ${e.patchLine} in Neovim; it shows ${diagnostics.map((d) => `${d.code}@${d.line}`).join(', ')}`);
    assert.equal(hit.source, 'p2pcheck');
    assert.equal(hit.severity, 2, 'vim.diagnostic.severity.WARN');
  }
  for (const d of diagnostics) assert.ok(expected.allowed.has(d.code), `unexpected ${d.code}`);
  const rule = ruleById(expected.expected[0]!.rule)!;
  assert.ok(result.hover?.includes(`**p2pcheck ${rule.meta.id}**`), `hover: ${result.hover}`);
  assert.ok(result.hover!.includes(rule.meta.why), 'the hover holds the rule text (why)');
  assert.ok(result.hover!.includes(rule.meta.fix), 'the hover holds the rule text (fix)');
  assert.deepEqual(result.code_actions?.slice(-2), [`Show documentation for ${rule.meta.id}`, `Ignore this ${rule.meta.id} finding (.p2pcheck.json)`]);
});
