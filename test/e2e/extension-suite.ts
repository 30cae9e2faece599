import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { targetPath } from '../../src/input/patch-model.js';
import { readInput } from '../../src/input/read-input.js';

/**
 * Integration tests in a real VS Code (the vscode-e2e kit): labelled patches of ../shared/corpus
 * get their diagnostics at the labelled lines, hovers explain, the quick fix edits, the commands
 * run, noise stays clean. Timings go to $VSCODE_E2E_OUT/timings.json.
 */
const HEADLINE = new Set(['R1', 'R2', 'R3']);

interface Label { rule: string; path: string; line: number | null; alt_rules?: string[] }
interface Case { file: string; expect: Label[]; may?: Label[] }

const corpus = () => process.env.P2PCHECK_CORPUS ?? join(extensionPath(), '..', 'shared', 'corpus');
const workspaceDir = () => vscode.workspace.workspaceFolders![0]!.uri.fsPath;
const timings: Record<string, number> = {};

function extensionPath(): string {
  return vscode.extensions.all.find((e) => e.packageJSON?.name === 'p2pcheck')!.extensionPath;
}

async function waitFor<T>(what: string, probe: () => T | undefined, timeoutMs = 15_000): Promise<T> {
  const start = Date.now();
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const isRepair = (d: vscode.Diagnostic) => d.message.startsWith('repairs ');
const p2pDiagnostics = (uri: vscode.Uri) => vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'p2pcheck' && !isRepair(d));
const codeOf = (d: vscode.Diagnostic) => (typeof d.code === 'object' ? String(d.code.value) : String(d.code));

async function openAndWait(path: string, count: (n: number) => boolean = (n) => n > 0): Promise<{ doc: vscode.TextDocument; diags: vscode.Diagnostic[] }> {
  const doc = await vscode.workspace.openTextDocument(path);
  await vscode.window.showTextDocument(doc);
  const diags = await waitFor(`diagnostics of ${path}`, () => {
    const d = p2pDiagnostics(doc.uri);
    return count(d.length) ? d : undefined;
  });
  return { doc, diags };
}

/** Post-image line (in the target file) of a patch line, through the core's own reading. */
async function postImageLines(path: string): Promise<Map<number, { path: string; line: number }>> {
  const map = new Map<number, { path: string; line: number }>();
  for (const patch of await readInput(path, readFileSync(path))) {
    for (const file of patch.files) for (const h of file.hunks) for (const l of h.lines) {
      if (l.newLine !== undefined) map.set(l.patchLine, { path: targetPath(file), line: l.newLine });
    }
  }
  return map;
}

export function defineSuite(): void {
  describe('p2pcheck in VS Code', () => {
    const labels = () => JSON.parse(readFileSync(join(corpus(), 'labelled', 'labels.json'), 'utf8')) as Case[];

    it('activates on a patch and publishes the labelled R1-R3 findings at their lines', async () => {
      const t0 = Date.now();
      const cases = labels().filter((c) => c.expect.some((e) => HEADLINE.has(e.rule)));
      assert.ok(cases.length >= 3);
      for (const c of cases) {
        const path = join(corpus(), 'labelled', c.file);
        const expected = c.expect.filter((e) => HEADLINE.has(e.rule));
        const { diags } = await openAndWait(path, (n) => n >= expected.length);
        if (!timings.activationToFirstDiagnosticsMs) timings.activationToFirstDiagnosticsMs = Date.now() - t0;
        const lines = await postImageLines(path);
        for (const e of expected) {
          const hit = diags.find((d) => {
            const at = lines.get(d.range.start.line + 1);
            const rules = [e.rule, ...(e.alt_rules ?? [])];
            return rules.includes(codeOf(d)) && at?.path === e.path && (e.line === null || Math.abs(at.line - e.line) <= 2);
          });
          assert.ok(hit, `${c.file}: no ${e.rule} diagnostic at ${e.path}:${e.line}; got ${diags.map((d) => `${codeOf(d)}@${d.range.start.line + 1}`).join(', ')}`);
          assert.equal(hit.source, 'p2pcheck');
          assert.ok(hit.range.end.character > hit.range.start.character, 'the range covers the flagged code');
          const code = hit.code as { value: string; target: vscode.Uri };
          assert.match(code.target.path, new RegExp(`/docs/${codeOf(hit)}\\.md$`));
        }
        const allowed = [...c.expect, ...(c.may ?? [])];
        for (const d of diags) assert.ok(allowed.some((a) => a.rule === codeOf(d) || (a.alt_rules ?? []).includes(codeOf(d))), `${c.file}: unexpected ${codeOf(d)}`);
      }
    });

    it('maps severities and points relatedInformation at the arms of an R1 dispatch', async () => {
      const { diags } = await openAndWait(join(corpus(), 'labelled', '07-nvme-pci-convert-dma-map-sgtable.reversed.patch'), (n) => n >= 2);
      const r1 = diags.find((d) => codeOf(d) === 'R1')!;
      assert.equal(r1.severity, vscode.DiagnosticSeverity.Warning);
      assert.equal(r1.relatedInformation?.length, 2);
      assert.match(r1.relatedInformation![0]!.message, /P2P arm/);
    });

    it('hovers a flagged range with the rule, why, fix, versions and lore links; nothing elsewhere', async () => {
      const { doc, diags } = await openAndWait(join(corpus(), 'labelled', '06-nvmet-rdma-ensure-dma-support.reversed.patch'));
      const r3 = diags.find((d) => codeOf(d) === 'R3')!;
      const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, r3.range.start.translate(0, 1));
      const text = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : 'value' in c ? c.value : ''))).join('\n');
      assert.match(text, /p2pcheck R3/);
      assert.match(text, /Why it is risky/);
      assert.match(text, /\*\*Fix:\*\* Only advertise P2P/);
      assert.match(text, /https:\/\/lore\.kernel\.org\/r\/20210408170123\.8788-15-logang@deltatee\.com/);
      const elsewhere = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, new vscode.Position(0, 0));
      assert.ok(!elsewhere.some((h) => h.contents.some((c) => typeof c !== 'string' && 'value' in c && c.value.includes('p2pcheck'))));
    });

    it('applies the R1 quick fix: the dispatch becomes one dma_map_sg_attrs() and the finding goes away', async () => {
      const copy = join(workspaceDir(), 'nvme-first-entry.patch');
      writeFileSync(copy, readFileSync(join(corpus(), 'labelled', '07-nvme-pci-convert-dma-map-sgtable.reversed.patch')));
      const { doc, diags } = await openAndWait(copy, (n) => n >= 2);
      const r1 = diags.filter((d) => codeOf(d) === 'R1').sort((a, b) => b.range.start.line - a.range.start.line)[0]!;
      const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', doc.uri, r1.range);
      const fix = actions.find((a) => a.title.startsWith('R1: Use dma_map_sg_attrs()'));
      assert.ok(fix?.edit, `no R1 quick fix among: ${actions.map((a) => a.title).join(' | ')}`);
      assert.ok(actions.some((a) => a.title === 'Show documentation for R1'));
      assert.ok(await vscode.workspace.applyEdit(fix.edit));
      const text = doc.getText();
      assert.match(text, /^@@ -849,25 \+859,22 @@ static blk_status_t nvme_map_data/m);
      assert.match(text, /^\+\tnr_mapped = dma_map_sg_attrs\(dev->dev, iod->sg, iod->nents,$/m);
      assert.doesNotMatch(text, /^\+\t\tnr_mapped = pci_p2pdma_map_sg_attrs/m);
      await waitFor('the R1 diagnostic to go', () => (p2pDiagnostics(doc.uri).filter((d) => codeOf(d) === 'R1').length === 1 ? true : undefined));
    });

    it('runs the commands: check the active file, show a rule page, ignore a finding', async () => {
      const copy = join(workspaceDir(), 'p2p-example.patch');
      writeFileSync(copy, readFileSync(join(process.env.P2PCHECK_ROOT ?? extensionPath(), 'test', 'examples', 'p2p-example.patch')));
      const { doc } = await openAndWait(copy, (n) => n >= 3);
      assert.equal(await vscode.commands.executeCommand('p2pcheck.checkActiveFile'), 3);
      await vscode.commands.executeCommand('p2pcheck.showRuleDocs', 'R2');
      await waitFor('the R2 page in the Markdown preview', () => (vscode.window.tabGroups.activeTabGroup.activeTab?.label === 'Preview R2.md' ? true : undefined));
      const r2 = p2pDiagnostics(doc.uri).find((d) => codeOf(d) === 'R2')!;
      const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', doc.uri, r2.range);
      const ignore = actions.find((a) => a.title.startsWith('Ignore this R2 finding'))!;
      await vscode.commands.executeCommand(ignore.command!.command, ...(ignore.command!.arguments ?? []));
      const config = join(workspaceDir(), '.p2pcheck.json');
      assert.ok(existsSync(config));
      assert.equal(JSON.parse(readFileSync(config, 'utf8')).ignore[0].rule, 'R2');
      await waitFor('the ignored R2 to go', () => (p2pDiagnostics(doc.uri).some((d) => codeOf(d) === 'R2') ? undefined : true));
      assert.equal(p2pDiagnostics(doc.uri).length, 2);
    });

    it('checks the staged changes and a git range of the workspace repository onto the real source file', async () => {
      const root = workspaceDir();
      const git = (...args: string[]) => execFileSync('git', args, { cwd: root });
      git('init', '-q');
      git('config', 'user.email', 'e2e@example.org');
      git('config', 'user.name', 'e2e');
      const source = join(root, 'drivers', 'misc');
      execFileSync('mkdir', ['-p', source]);
      const file = join(source, 'demo.c');
      writeFileSync(file, 'int demo(void)\n{\n\treturn 0;\n}\n');
      git('add', '.');
      git('commit', '-qm', 'base');
      writeFileSync(file, 'int demo(struct pci_dev *pdev, struct device *peer)\n{\n\tvoid *buf = pci_alloc_p2pmem(pdev, 4096);\n\n\tif (!buf)\n\t\treturn DMA_MAPPING_ERROR;\n\treturn dma_map_single(peer, buf, 4096, DMA_TO_DEVICE);\n}\n');
      git('add', 'drivers/misc/demo.c');
      const count = await vscode.commands.executeCommand<number>('p2pcheck.checkStaged');
      assert.equal(count, 1, 'one finding per defect: R2, which names R4');
      const diags = p2pDiagnostics(vscode.Uri.file(file));
      assert.deepEqual(diags.map((d) => [codeOf(d), d.range.start.line + 1]).sort(), [['R2', 7]]);
      git('commit', '-qm', 'demo: map a P2P buffer');
      assert.equal(await vscode.commands.executeCommand<number>('p2pcheck.checkGitRange', 'HEAD~1..HEAD'), 1);
      assert.equal(await vscode.commands.executeCommand<number>('p2pcheck.checkGitRange', 'HEAD~2..HEAD~1'), undefined, 'a range git does not know is reported, not thrown');
    });

    it('shows what a repair patch removes as an information diagnostic', async () => {
      const path = join(corpus(), 'labelled', '06-nvmet-rdma-ensure-dma-support.patch');
      const doc = await vscode.workspace.openTextDocument(path);
      await vscode.window.showTextDocument(doc);
      const repair = await waitFor('the repair note', () => vscode.languages.getDiagnostics(doc.uri).find(isRepair));
      assert.equal(repair.severity, vscode.DiagnosticSeverity.Information);
      assert.match(repair.message, /^repairs R3 in nvmet_rdma_alloc_rsp/);
      assert.equal(doc.lineAt(repair.range.start.line).text, '-\tif (!ib_uses_virt_dma(ndev->device))');
    });

    it('leaves a noise patch without any diagnostic', async () => {
      const path = join(corpus(), 'noise', 'pci-01-pci-add-acs-quirk-for-wangxun-ff5xxx-nics.patch');
      const doc = await vscode.workspace.openTextDocument(path);
      await vscode.window.showTextDocument(doc);
      assert.ok(await vscode.commands.executeCommand('p2pcheck.checkActiveFile') === 0);
      assert.deepEqual(p2pDiagnostics(doc.uri), []);
    });

    it('follows edits, and clears a document when it closes; timings of a 500-line patch', async () => {
      const lines = ['diff --git a/drivers/misc/big.c b/drivers/misc/big.c', '--- a/drivers/misc/big.c', '+++ b/drivers/misc/big.c', '@@ -1,0 +1,500 @@'];
      for (let i = 0; i < 99; i++) lines.push(`+static int f${i}(struct device *dev, void *p)`, '+{', `+\treturn dma_map_single(dev, p, ${i + 1}, DMA_TO_DEVICE) ? 0 : -EIO;`, '+}', '+');
      lines.push('+static int g(struct pci_dev *pdev, struct device *dev)', '+{', '+\tvoid *p = pci_alloc_p2pmem(pdev, 64);', '+\treturn p ? dma_map_single(dev, p, 64, DMA_TO_DEVICE) : -ENOMEM;', '+}');
      const path = join(workspaceDir(), 'big.patch');
      writeFileSync(path, `${lines.join('\n')}\n`);
      const t0 = Date.now();
      const { doc, diags } = await openAndWait(path);
      timings.open500LinePatchToDiagnosticsMs = Date.now() - t0;
      assert.deepEqual(diags.map(codeOf), ['R2']);
      const editor = await vscode.window.showTextDocument(doc);
      const t1 = Date.now();
      await editor.edit((e) => e.replace(new vscode.Range(502, 0, 503, 0), '+\treturn 0;\n'));
      await waitFor('the R2 to go after the edit', () => (p2pDiagnostics(doc.uri).length === 0 ? true : undefined));
      timings.editToDiagnosticsMsIncludingDebounce = Date.now() - t1;
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
      await waitFor('diagnostics to go on close', () => (p2pDiagnostics(doc.uri).length === 0 ? true : undefined));
      const out = process.env.VSCODE_E2E_OUT;
      if (out) writeFileSync(join(out, 'timings.json'), `${JSON.stringify(timings, null, 2)}\n`);
    });

    it('ends on the R2 rule page in the Markdown preview (for the screenshot)', async () => {
      // the git test's notifications (its findings, and the unknown revision it asks for on purpose) are done with
      await vscode.commands.executeCommand('notifications.clearAll');
      await vscode.commands.executeCommand('p2pcheck.showRuleDocs', 'R2');
      await waitFor('the R2 page in the Markdown preview', () => (vscode.window.tabGroups.activeTabGroup.activeTab?.label === 'Preview R2.md' ? true : undefined));
      await new Promise((r) => setTimeout(r, 3000)); // the preview's webview renders (the kit then takes the screenshot)
    });
  });
}
