import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { cli } from './run-cli.js';

// A cover letter carries no diff, so the pre-filter drops it before any parsing; what it says of
// its base ("based on v6.9") is still the era of the patches that reply to it (spec, trap 4).
const MBOX = `From 0000000000000000000000000000000000000000 Mon Sep 17 00:00:00 2001
From: Dev <dev@example.org>
Date: Mon, 3 Nov 2025 10:00:00 +0000
Subject: [PATCH 0/1] demo: map the queue memory
Message-Id: <cover@example.org>

This series is based on v6.9.

Dev

From 0000000000000000000000000000000000000000 Mon Sep 17 00:00:00 2001
From: Dev <dev@example.org>
Date: Mon, 3 Nov 2025 10:00:01 +0000
Subject: [PATCH 1/1] demo: map the buffer
Message-Id: <p1@example.org>
In-Reply-To: <cover@example.org>
References: <cover@example.org>

Map the p2pmem buffer.

---
 drivers/misc/demo.c | 3 +++
 1 file changed, 3 insertions(+)

diff --git a/drivers/misc/demo.c b/drivers/misc/demo.c
--- a/drivers/misc/demo.c
+++ b/drivers/misc/demo.c
@@ -10,3 +10,6 @@ static int demo_map(struct demo *d)
 {
 	void *buf;
 
+	buf = pci_alloc_p2pmem(d->pdev, SZ_4K);
+	d->addr = dma_map_single(d->dev, buf, SZ_4K, DMA_TO_DEVICE);
+	return 0;
`;

test('a cover letter without a diff still gives its series its base', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'p2pcheck-cover-'));
  const file = join(dir, 'series.mbox');
  writeFileSync(file, MBOX);
  const run = await cli(['--format', 'json', '--fail-on', 'never', file]);
  assert.equal(run.code, 0, run.stderr);
  const findings = (JSON.parse(run.stdout) as { findings: { rule: string; era?: string }[] }).findings;
  assert.ok(findings.length > 0, 'the patch gives findings');
  for (const f of findings) assert.match(f.era ?? '', /6\.9 .*based on v6\.9.* in the series/, `${f.rule}: ${f.era}`);
});
