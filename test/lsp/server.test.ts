import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { MarkupKind, type ClientCapabilities, type CodeAction, type Diagnostic, type Hover, type MarkupContent, type TextDocumentClientCapabilities, type TextEdit } from 'vscode-languageserver-protocol/node';
import { ruleById } from '../../src/rules/index.js';
import { LABELLED, projectPath } from '../helpers/paths.js';
import { labelledFindings } from './labelled.js';
import { LspClient } from './lsp-client.js';

/** A plain LSP client over stdio against `p2pcheck --lsp`: the protocol as any editor speaks it. */

const FULL_CAPABILITIES: ClientCapabilities & { textDocument: TextDocumentClientCapabilities } = {
  textDocument: {
    publishDiagnostics: { relatedInformation: true },
    hover: { contentFormat: [MarkupKind.Markdown, MarkupKind.PlainText] },
    codeAction: { codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix'] } } },
    synchronization: { didSave: true },
  },
  workspace: { configuration: true, didChangeConfiguration: { dynamicRegistration: true }, workspaceFolders: true },
  window: { showDocument: { support: true } },
};

const line = (d: Diagnostic) => d.range.start.line + 1;
const open = (c: LspClient, uri: string, text: string, languageId = 'diff') =>
  c.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId, version: 1, text } });
const tempDir = () => mkdtempSync(join(tmpdir(), 'p2pcheck-lsp-'));

test('a labelled patch: findings at the labelled lines, hover, code actions, the R1 fix through didChange, clean shutdown', async () => {
  const file = '07-nvme-pci-convert-dma-map-sgtable.reversed.patch';
  const { path, expected, allowed } = labelledFindings(file);
  const text = readFileSync(path, 'utf8');
  const uri = pathToFileURL(path).href;
  const c = LspClient.start();
  c.settings = { debounceMs: 30 };
  try {
    const init = (await c.initialize(FULL_CAPABILITIES)) as { capabilities: Record<string, unknown>; serverInfo: { name: string } };
    assert.equal(init.serverInfo.name, 'p2pcheck');
    assert.ok(init.capabilities.hoverProvider);
    await open(c, uri, text);
    const { diagnostics, version } = await c.nextDiagnostics(uri);
    assert.equal(version, 1);
    const findings = diagnostics.filter((d) => !String(d.message).startsWith('repairs '));
    for (const e of expected) {
      const hit = findings.find((d) => e.rules.includes(String(d.code)) && line(d) === e.patchLine);
      assert.ok(hit, `no ${e.rule} at patch line ${e.patchLine}; got ${findings.map((d) => `${d.code}@${line(d)}`).join(', ')}`);
      assert.equal(hit.source, 'p2pcheck');
      assert.equal(hit.severity, 2, 'R1 is a warning on 6.0+');
      const page = fileURLToPath(hit.codeDescription!.href);
      assert.match(readFileSync(page, 'utf8'), new RegExp(`^# ${hit.code} \``), 'the code links to the rule page');
      assert.deepEqual(hit.relatedInformation?.map((r) => r.message.split(':')[0]), ['P2P arm', 'host arm']);
      assert.ok(hit.range.end.character > hit.range.start.character);
    }
    for (const d of findings) assert.ok(allowed.has(String(d.code)), `unexpected ${d.code}`);

    const r1 = findings.sort((a, b) => line(b) - line(a))[0]!; // the map side, at patch line 278
    const hover = await c.connection.sendRequest<Hover | null>('textDocument/hover', { textDocument: { uri }, position: { line: r1.range.start.line, character: r1.range.start.character + 1 } });
    const value = (hover!.contents as MarkupContent).value;
    assert.equal((hover!.contents as MarkupContent).kind, 'markdown');
    assert.match(value, /\*\*p2pcheck R1\*\*/);
    assert.match(value, /\*\*Why it is risky:\*\*/);
    assert.ok(value.includes(ruleById('R1')!.meta.fix), 'the hover carries the fix');
    assert.match(value, /https:\/\/lore\.kernel\.org\/r\//);
    assert.equal(await c.connection.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line: 0, character: 0 } }), null);

    const actions = await c.connection.sendRequest<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range: r1.range, context: { diagnostics: [r1] } });
    assert.deepEqual(actions.map((a) => a.title), [
      'R1: Use dma_map_sg_attrs() for the whole list (since 6.0 it handles P2P entries itself)', 'Show documentation for R1', 'Ignore this R1 finding (.p2pcheck.json)',
    ]);
    assert.equal(actions[0]!.kind, 'quickfix');
    assert.equal(actions[0]!.diagnostics?.[0]?.code, 'R1');
    assert.deepEqual(actions[1]!.command?.arguments, ['R1']);

    // apply the fix as an editor does, and send it as incremental changes (last edit first)
    const edits = [...actions[0]!.edit!.changes![uri]!].sort((a, b) => b.range.start.line - a.range.start.line);
    const fixed = TextDocument.applyEdits(TextDocument.create(uri, 'diff', 1, text), edits as TextEdit[]);
    assert.match(fixed, /^@@ -849,25 \+859,22 @@ static blk_status_t nvme_map_data/m);
    assert.match(fixed, /^\+\tnr_mapped = dma_map_sg_attrs\(dev->dev, iod->sg, iod->nents,$/m);
    await c.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version: 2 }, contentChanges: edits.map((e) => ({ range: e.range, text: e.newText })) });
    const after = await c.nextDiagnostics(uri);
    assert.equal(after.version, 2);
    assert.deepEqual(after.diagnostics.filter((d) => d.code === 'R1').map(line), [170], 'the map-side R1 is gone, the unmap side stays');
  } finally {
    assert.equal(await c.stop(), 0, 'shutdown then exit ends the process with 0');
  }
});

test('settings and .p2pcheck.json: severities, rules off, "ignore this finding", run on save, no relatedInformation unless declared', async () => {
  const ws = tempDir();
  const patch = join(ws, 'p2p-example.patch');
  copyFileSync(projectPath('test', 'examples', 'p2p-example.patch'), patch);
  const text = readFileSync(patch, 'utf8');
  const uri = pathToFileURL(patch).href;
  const c = LspClient.start(['--lsp'], ws);
  const { relatedInformation: _, ...noRelated } = FULL_CAPABILITIES.textDocument.publishDiagnostics!;
  c.settings = { rules: { R2: 'warning' }, debounceMs: 30 };
  try {
    await c.initialize({ ...FULL_CAPABILITIES, textDocument: { ...FULL_CAPABILITIES.textDocument, publishDiagnostics: noRelated } }, ws);
    await open(c, uri, text);
    let { diagnostics } = await c.nextDiagnostics(uri);
    assert.deepEqual(diagnostics.map((d) => [d.code, d.severity]), [['R3', 2], ['R2', 2], ['R1', 2]], 'R2 is a warning by the settings');
    assert.ok(diagnostics.every((d) => d.relatedInformation === undefined), 'the client did not declare relatedInformation');
    assert.ok(c.configurationRequests.length > 0, 'the server pulled workspace/configuration');

    c.settings = { rules: { R1: 'off' }, debounceMs: 30 };
    await c.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
    ({ diagnostics } = await c.nextDiagnostics(uri));
    assert.deepEqual(diagnostics.map((d) => [d.code, d.severity]), [['R3', 2], ['R2', 1]]);

    const r2 = diagnostics.find((d) => d.code === 'R2')!;
    const actions = await c.connection.sendRequest<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range: r2.range, context: { diagnostics: [r2] } });
    const docs = actions.find((a) => a.title === 'Show documentation for R2')!;
    const page = await c.connection.sendRequest<string>('workspace/executeCommand', { command: docs.command!.command, arguments: docs.command!.arguments });
    assert.match(page, /\/R2\.md$/);
    assert.equal((c.shownDocuments[0] as { uri: string }).uri, page, 'shown through window/showDocument');
    const ignore = actions.find((a) => a.title.startsWith('Ignore this R2 finding'))!;
    const written = await c.connection.sendRequest<string>('workspace/executeCommand', { command: ignore.command!.command, arguments: ignore.command!.arguments });
    assert.equal(written, join(ws, '.p2pcheck.json'));
    const config = JSON.parse(readFileSync(written, 'utf8')) as { ignore: { rule: string; fingerprint: string }[] };
    assert.equal(config.ignore[0]!.rule, 'R2');
    ({ diagnostics } = await c.nextDiagnostics(uri));
    assert.deepEqual(diagnostics.map((d) => d.code), ['R3'], 'the ignored R2 is gone');

    // on save only: an edit publishes nothing, the save does
    c.settings = { run: 'onSave', debounceMs: 30 };
    await c.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
    await c.nextDiagnostics(uri, (d) => d.some((x) => x.code === 'R1'));
    const count = c.published.length;
    await c.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version: 2 }, contentChanges: [{ text: `${text}\n` }] });
    await new Promise((r) => setTimeout(r, 400));
    assert.equal(c.published.length, count, 'no run on type with run: onSave');
    await c.connection.sendNotification('textDocument/didSave', { textDocument: { uri } });
    const saved = await c.nextDiagnostics(uri);
    assert.equal(saved.version, 2);
  } finally {
    assert.equal(await c.stop(), 0);
    rmSync(ws, { recursive: true, force: true });
  }
});

test('a kernel checkout as the workspace: its Makefile gives the version of its own files, not of a patch that does not apply', async () => {
  const ws = tempDir();
  writeFileSync(join(ws, 'Makefile'), 'VERSION = 5\nPATCHLEVEL = 10\nSUBLEVEL = 0\n');
  mkdirSync(join(ws, 'drivers', 'demo'), { recursive: true });
  const source = [
    'static int demo_map(struct device *dev, struct scatterlist *sgl, int nents)',
    '{',
    '\tif (is_pci_p2pdma_page(sg_page(sgl)))',
    '\t\treturn pci_p2pdma_map_sg(dev, sgl, nents, DMA_TO_DEVICE);',
    '\treturn dma_map_sg(dev, sgl, nents, DMA_TO_DEVICE);',
    '}',
    '',
  ].join('\n');
  writeFileSync(join(ws, 'drivers', 'demo', 'demo.c'), source);
  const text = readFileSync(join(LABELLED, '07-nvme-pci-convert-dma-map-sgtable.reversed.patch'), 'utf8');
  const c = LspClient.start(['--lsp'], ws);
  try {
    await c.initialize(FULL_CAPABILITIES, ws);
    const file = pathToFileURL(join(ws, 'drivers', 'demo', 'demo.c')).href;
    await open(c, file, source, 'c');
    const own = await c.nextDiagnostics(file);
    assert.deepEqual(own.diagnostics.map((d) => [d.code, d.severity]), [['R1', 3]], 'a file of the 5.10 tree: before 6.0 the dispatch is information');
    const hover = await c.connection.sendRequest<Hover>('textDocument/hover', { textDocument: { uri: file }, position: own.diagnostics[0]!.range.start });
    assert.match((hover.contents as MarkupContent).value, /\*\*Assumed here:\*\* kernel 5\.10/);
    // the patch does not apply to this tree (no drivers/nvme): its own evidence (6.0+) decides
    const inside = pathToFileURL(join(ws, 'nvme.patch')).href;
    await open(c, inside, text);
    const { diagnostics } = await c.nextDiagnostics(inside);
    assert.deepEqual(diagnostics.map((d) => [d.code, d.severity]), [['R1', 2], ['R1', 2]], 'a patch that does not apply keeps its own era');
    c.settings = { kernelVersion: '5.10' };
    await c.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
    const again = await c.nextDiagnostics(inside);
    assert.deepEqual(again.diagnostics.map((d) => d.severity), [3, 3], 'the setting wins');
  } finally {
    assert.equal(await c.stop(), 0);
    rmSync(ws, { recursive: true, force: true });
  }
});

/** About 5,000 lines of real mails: the labelled corpus patches as one mbox, read in place. */
function bigMbox(): string {
  const mails: string[] = [];
  let lines = 0;
  for (const f of readdirSync(LABELLED).filter((n) => n.endsWith('.patch')).sort()) {
    if (lines >= 5000) break;
    const mail = readFileSync(join(LABELLED, f), 'utf8').replace(/^From /gm, '>From ');
    mails.push(`From p2pcheck@example.org Thu Jan  1 00:00:00 1970\n${mail.endsWith('\n') ? mail : `${mail}\n`}`);
    lines += mail.split('\n').length;
  }
  return mails.join('');
}

test('the message loop stays free while a 5,000-line mbox is checked; bad input never crashes the server', async () => {
  const c = LspClient.start();
  c.settings = { debounceMs: 0 };
  try {
    await c.initialize(FULL_CAPABILITIES);
    const small = pathToFileURL(projectPath('test', 'examples', 'p2p-example.patch')).href;
    await open(c, small, readFileSync(fileURLToPath(small), 'utf8'));
    const smallDiagnostics = (await c.nextDiagnostics(small)).diagnostics;
    const r2 = smallDiagnostics.find((d) => d.code === 'R2')!;

    const mbox = bigMbox();
    assert.ok(mbox.split('\n').length >= 5000);
    const big = 'file:///nowhere/series.mbox';
    let bigDone = false;
    const bigPublished = c.nextDiagnostics(big).then((p) => { bigDone = true; return p; });
    const started = performance.now();
    await open(c, big, mbox, 'kernel-patch');
    // hovers on the small document while the mbox is analysed: answered at once, not after it
    let answeredBefore = 0;
    while (!bigDone) {
      const hover = await c.connection.sendRequest<Hover | null>('textDocument/hover', { textDocument: { uri: small }, position: { line: r2.range.start.line, character: r2.range.start.character + 1 } });
      assert.match((hover!.contents as MarkupContent).value, /p2pcheck R2/);
      if (!bigDone) answeredBefore++;
    }
    const { diagnostics } = await bigPublished;
    const tookMs = performance.now() - started;
    assert.ok(diagnostics.length > 10, `the mbox has findings (${diagnostics.length})`);
    assert.ok(answeredBefore >= 3, `hovers were answered while the mbox was checked (${answeredBefore} in ${Math.round(tookMs)} ms)`);
    assert.ok(c.notifications.some((n) => n.method === 'p2pcheck/busy' && (n.params as { busy: boolean }).busy));

    // bad input of every kind: nothing thrown back at the client, nothing crashes
    const bad: [string, string][] = [
      ['file:///nowhere/binary.patch', Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256)).toString('latin1')],
      ['file:///nowhere/truncated.diff', 'diff --git a/drivers/x.c b/drivers/x.c\n--- a/drivers/x.c\n+++ b/drivers/x.c\n@@ -1,3 +1,'],
      ['file:///nowhere/broken.eml', 'From: a@b\nContent-Type: multipart/mixed; boundary="x"\n\n--x\nContent-Transfer-Encoding: base64\n\n!!!!not base64\n'],
      ['file:///nowhere/long.c', `int f(void) { return ${'('.repeat(20_000)}0${')'.repeat(20_000)}; }\n`],
      ['file:///nowhere/empty.mbox', ''],
      ['file://remote-host/share/x.patch', readFileSync(fileURLToPath(small), 'utf8')],
    ];
    for (const [uri, text] of bad) {
      await open(c, uri, text);
      const published = await c.nextDiagnostics(uri);
      assert.ok(Array.isArray(published.diagnostics));
    }
    assert.equal(await c.connection.sendRequest('workspace/executeCommand', { command: 'p2pcheck.ignoreFinding', arguments: [42] }), null);
    assert.equal(await c.connection.sendRequest('workspace/executeCommand', { command: 'p2pcheck.showRuleDocs', arguments: ['R99'] }), null);
    assert.equal(await c.connection.sendRequest('textDocument/hover', { textDocument: { uri: 'file:///never/opened.patch' }, position: { line: 3, character: 1 } }), null);
    assert.deepEqual(await c.connection.sendRequest('textDocument/codeAction', { textDocument: { uri: 'file:///never/opened.patch' }, range: r2.range, context: { diagnostics: [] } }), []);
    await c.connection.sendNotification('textDocument/didClose', { textDocument: { uri: big } });
    const cleared = await c.nextDiagnostics(big);
    assert.deepEqual(cleared.diagnostics, [], 'closing a document clears its diagnostics');
    // still alive and still right
    const hover = await c.connection.sendRequest<Hover>('textDocument/hover', { textDocument: { uri: small }, position: { line: r2.range.start.line, character: r2.range.start.character + 1 } });
    assert.match((hover.contents as MarkupContent).value, /p2pcheck R2/);
    assert.equal(c.child.exitCode, null);
    assert.ok(!existsSync('/nowhere'));
  } finally {
    assert.equal(await c.stop(), 0);
  }
});

test('R19: a removed identifier on a 7.1 base gets the mechanical rename as a quick fix', async () => {
  const ws = tempDir();
  const patch = join(ws, 'r19.patch');
  const text = [
    'Subject: [PATCH] misc/demo: revoke on release', '', 'Based on v7.1.', '', '---',
    'diff --git a/drivers/misc/demo/demo.c b/drivers/misc/demo/demo.c', 'index 1111111..2222222 100644',
    '--- a/drivers/misc/demo/demo.c', '+++ b/drivers/misc/demo/demo.c', '@@ -10,3 +10,4 @@ static void demo_release(struct demo *d)',
    ' {', '+\tdma_buf_move_notify(d->dmabuf);', ' \tdemo_unmap(d);', ' }', '',
  ].join('\n');
  writeFileSync(patch, text);
  const uri = pathToFileURL(patch).href;
  const c = LspClient.start(['--lsp'], ws);
  c.settings = { debounceMs: 30 };
  try {
    await c.initialize(FULL_CAPABILITIES, ws);
    await open(c, uri, text);
    const { diagnostics } = await c.nextDiagnostics(uri);
    const r19 = diagnostics.find((d) => d.code === 'R19');
    assert.ok(r19, `no R19; got ${diagnostics.map((d) => d.code).join(', ')}`);
    assert.equal(line(r19), 12);
    const actions = await c.connection.sendRequest<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range: r19.range, context: { diagnostics: [r19] } });
    assert.equal(actions[0]!.title, 'R19: Migrate: dma_buf_move_notify → dma_buf_invalidate_mappings');
    assert.equal(actions[0]!.kind, 'quickfix');
    const fixed = TextDocument.applyEdits(TextDocument.create(uri, 'diff', 1, text), actions[0]!.edit!.changes![uri]! as TextEdit[]);
    assert.match(fixed, /^\+\tdma_buf_invalidate_mappings\(d->dmabuf\);$/m);
  } finally {
    assert.equal(await c.stop(), 0);
    rmSync(ws, { recursive: true, force: true });
  }
});
