import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { lintDocument } from '../../src/engine/lint.js';
import { editorDiagnostics } from '../../src/report/editor-diagnostics.js';
import { LspClient } from '../lsp/lsp-client.js';

/**
 * Benchmark 5, the language server through the protocol: `p2pcheck --lsp` as a child process and a
 * plain stdio client, as an editor sees it. Once the server is up (initialized, and warmed by one
 * document), each round opens a new 500-line patch and times didOpen -> publishDiagnostics, then
 * edits it (the only P2P mapping goes) and times didChange -> the updated publishDiagnostics, less
 * the debounce. Targets: 150 ms to first diagnostics, 20 ms past the debounce for a re-check.
 * Each round also times the engine in this process on the same text (what editor-bench measures),
 * so that on a loaded machine the protocol's own share can still be read: open - engine.
 */
const ROUNDS = 25;
const DEBOUNCE_MS = 250;
const OUT = join(process.cwd(), 'bench-out');

/** The editor benchmark's 500-line new-file patch: 99 plain mappings and one of P2P memory (one R2). */
function patch500(): string {
  const body: string[] = [];
  for (let i = 0; i < 99; i++) {
    body.push(`+static int f${i}(struct device *dev, void *p)`, '+{', `+\treturn dma_map_single(dev, p, ${i + 1}, DMA_TO_DEVICE) ? 0 : -EIO;`, '+}', '+');
  }
  body.push('+static int g(struct pci_dev *pdev, struct device *dev)', '+{', '+\tvoid *p = pci_alloc_p2pmem(pdev, 64);', '+\treturn p ? dma_map_single(dev, p, 64, DMA_TO_DEVICE) : -ENOMEM;', '+}');
  return ['diff --git a/drivers/misc/big.c b/drivers/misc/big.c', 'new file mode 100644', '--- /dev/null', '+++ b/drivers/misc/big.c',
    `@@ -0,0 +1,${body.length} @@`, ...body, ''].join('\n');
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return Math.round(sorted[Math.floor(sorted.length / 2)]! * 10) / 10;
}

function p90(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return Math.round(sorted[Math.floor(sorted.length * 0.9)]! * 10) / 10;
}

async function main(): Promise<void> {
  const text = patch500();
  const lines = text.split('\n');
  const p2pLine = lines.findIndex((l) => l.includes('p ? dma_map_single'));
  const startup = performance.now();
  const c = LspClient.start();
  c.settings = { debounceMs: DEBOUNCE_MS };
  await c.initialize({ workspace: { configuration: true }, textDocument: { publishDiagnostics: { relatedInformation: true } } });
  const upMs = performance.now() - startup;
  // warm-up: the analysis thread starts and loads the WASM parser on the first document
  const warm = 'file:///bench/warm-up.patch';
  const coldStart = performance.now();
  await c.connection.sendNotification('textDocument/didOpen', { textDocument: { uri: warm, languageId: 'diff', version: 1, text } });
  await c.nextDiagnostics(warm);
  const coldMs = performance.now() - coldStart;

  const open: number[] = [];
  const recheck: number[] = [];
  const engine: number[] = [];
  await lintDocument('warm.patch', text);
  for (let i = 0; i < ROUNDS; i++) {
    const e0 = performance.now();
    editorDiagnostics((await lintDocument('big.patch', text)).findings, 'diff', lines);
    engine.push(performance.now() - e0);
    const uri = `file:///bench/round-${i}.patch`;
    const published = c.nextDiagnostics(uri);
    const t0 = performance.now();
    await c.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'diff', version: 1, text } });
    const first = await published;
    open.push(performance.now() - t0);
    if (first.diagnostics.length !== 1) throw new Error(`expected one R2, got ${first.diagnostics.length}`);

    const updated = c.nextDiagnostics(uri, (d) => d.length === 0);
    const t1 = performance.now();
    await c.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri, version: 2 },
      contentChanges: [{ range: { start: { line: p2pLine, character: 0 }, end: { line: p2pLine + 1, character: 0 } }, text: '+\treturn 0;\n' }],
    });
    await updated;
    recheck.push(performance.now() - t1 - DEBOUNCE_MS);
    await c.connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
  }
  await c.stop();

  const results = {
    rounds: ROUNDS, debounceMs: DEBOUNCE_MS, serverUpMs: Math.round(upMs), firstDocumentColdMs: Math.round(coldMs),
    openToDiagnostics: { medianMs: median(open), p90Ms: p90(open), targetMs: 150 },
    editToDiagnosticsPastDebounce: { medianMs: median(recheck), p90Ms: p90(recheck), targetMs: 20 },
    engineInProcess: { medianMs: median(engine), p90Ms: p90(engine) },
  };
  console.log(`\nlanguage server through the protocol (p2pcheck --lsp over stdio, 500-line patch, median of ${ROUNDS})`);
  console.log(`  server up (spawn to initialize result)    ${results.serverUpMs} ms; first document, cold: ${results.firstDocumentColdMs} ms`);
  console.log(`  didOpen -> diagnostics                    median ${results.openToDiagnostics.medianMs} ms   p90 ${results.openToDiagnostics.p90Ms} ms   target 150 ms -> ${results.openToDiagnostics.medianMs <= 150 ? 'met' : 'missed'}`);
  console.log(`  didChange -> diagnostics, past ${DEBOUNCE_MS} ms debounce  median ${results.editToDiagnosticsPastDebounce.medianMs} ms   p90 ${results.editToDiagnosticsPastDebounce.p90Ms} ms   target 20 ms -> ${results.editToDiagnosticsPastDebounce.medianMs <= 20 ? 'met' : 'missed'}`);
  console.log(`  the engine alone, in process, same text   median ${results.engineInProcess.medianMs} ms   p90 ${results.engineInProcess.p90Ms} ms (the protocol and the thread add the rest)`);
  mkdirSync(OUT, { recursive: true });
  writeFileSync(join(OUT, 'lsp-bench.json'), `${JSON.stringify(results, null, 2)}\n`);
}

main().catch((e: unknown) => {
  console.error(`lsp-bench: ${(e as Error).message}`);
  process.exitCode = 1;
});
