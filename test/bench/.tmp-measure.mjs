// temporary: where the time of the 150-mail run goes
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
const D = process.cwd() + '/dist/src/';
const { readInputStream } = await import(D + 'input/stream-input.js');
const { mayReport, selectRuleIds, rawTextCannotReport, countSkipped } = await import(D + 'engine/prefilter.js');
const lint = await import(D + 'engine/lint.js');
const { RULES } = await import(D + 'rules/index.js');
const cp = await import(D + 'c-parse/c-parser.js');
const files = readFileSync(process.argv[2], 'utf8').trim().split('\n');
const perRule = new Map();
for (const r of RULES) { const c = r.check; r.check = (ctx) => { const t = performance.now(); try { return c(ctx); } finally { perRule.set(r.meta.id, (perRule.get(r.meta.id) ?? 0) + performance.now() - t); } }; }
await cp.cParser();
const passes = Number(process.argv[3] ?? 1);
for (let pass = 0; pass < passes; pass++) {
perRule.clear();
let tRead = 0, tLint = 0, nCand = 0, nAll = 0;
const ruleIds = selectRuleIds({});
const cannotReport = rawTextCannotReport(ruleIds);
const opts = { eraMemory: lint.newEraMemory() };
const stats = lint.newStats();
const t0 = performance.now();
for (const f of files) {
  let t = performance.now();
  const it = readInputStream(f, [readFileSync(f)], { maxBytes: 1 << 28, cannotReport });
  for await (const g of it) {
    tRead += performance.now() - t;
    nAll += g.patches.length;
    if (mayReport(g.patches, ruleIds)) { nCand += g.patches.length; const t1 = performance.now(); await lint.checkPatches(g.patches, opts, stats); tLint += performance.now() - t1; }
    t = performance.now();
  }
}
const total = performance.now() - t0;
console.log(`pass ${pass}: total ${total.toFixed(0)} read ${tRead.toFixed(0)} lint ${tLint.toFixed(0)} patches ${nAll} candidates ${nCand} files ${stats.files} skipped ${stats.filesSkipped} fragments ${stats.fragments}`);
console.log('rules', [...perRule].sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k}:${v.toFixed(0)}`).join(' '));
}
