import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { lintDocument } from '../../src/engine/lint.js';
import { editorDiagnostics } from '../../src/report/editor-diagnostics.js';

/**
 * Benchmark 4, the editor path: from a document's text to its diagnostics (what the extension
 * does on every change after the debounce), warm, for a 500-line and a 5,000-line patch.
 * Target: within 20 ms for 500 lines. Medians over repeated runs; the machine is shared.
 */
const RUNS = 25;
const OUT = join(process.cwd(), 'bench-out');

/** A new-file patch of `functions` small driver functions; the last maps a P2P buffer (one R2). */
function patchOf(functions: number): string {
  const body: string[] = [];
  for (let i = 0; i < functions - 1; i++) {
    body.push(`+static int f${i}(struct device *dev, void *p)`, '+{', `+\treturn dma_map_single(dev, p, ${i + 1}, DMA_TO_DEVICE) ? 0 : -EIO;`, '+}', '+');
  }
  body.push('+static int g(struct pci_dev *pdev, struct device *dev)', '+{', '+\tvoid *p = pci_alloc_p2pmem(pdev, 64);', '+\treturn p ? dma_map_single(dev, p, 64, DMA_TO_DEVICE) : -ENOMEM;', '+}');
  return ['diff --git a/drivers/misc/big.c b/drivers/misc/big.c', 'new file mode 100644', '--- /dev/null', '+++ b/drivers/misc/big.c',
    `@@ -0,0 +1,${body.length} @@`, ...body, ''].join('\n');
}

async function measure(lines: number): Promise<{ lines: number; medianMs: number; p90Ms: number; diagnostics: number }> {
  const text = patchOf(lines / 5);
  const documentLines = text.split('\n');
  const once = async () => editorDiagnostics((await lintDocument('big.patch', text)).findings, 'diff', documentLines);
  await once();
  await once();
  const times: number[] = [];
  let diagnostics = 0;
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now();
    diagnostics = (await once()).length;
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return { lines, medianMs: round(times[Math.floor(times.length / 2)]!), p90Ms: round(times[Math.floor(times.length * 0.9)]!), diagnostics };
}

function round(v: number): number {
  return Math.round(v * 100) / 100;
}

async function main(): Promise<void> {
  const results = [await measure(500), await measure(5000)];
  console.log('\neditor path: document text to diagnostics, warm (median of 25)');
  for (const r of results) console.log(`  ${String(r.lines).padStart(5)} lines   median ${r.medianMs} ms   p90 ${r.p90Ms} ms   ${r.diagnostics} diagnostic(s)`);
  console.log(`  target: within 20 ms for 500 lines -> ${results[0]!.medianMs <= 20 ? 'met' : 'missed'}`);
  mkdirSync(OUT, { recursive: true });
  writeFileSync(join(OUT, 'editor-bench.json'), `${JSON.stringify(results, null, 2)}\n`);
}

void main();
