import * as vscode from 'vscode';
import { DOCUMENTS } from './selector.js';
import type { LanguageClient } from 'vscode-languageclient/node';

const isRepair = (d: vscode.Diagnostic) => d.message.startsWith('repairs ');

/**
 * The status bar item: the active document's finding count from the server's diagnostics, a
 * spinner while the server's analysis thread works (its p2pcheck/busy notification). It also
 * has the server forget a document when its last tab closes (VS Code keeps the document open for a
 * while, so didClose comes late) and check it again when it shows again.
 */
export class StatusItem implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem(vscode.StatusBarAlignment.Left, 10);
  private readonly subscriptions: vscode.Disposable[] = [];
  private readonly forgotten = new Set<string>();
  private busy = false;

  constructor(private readonly client: LanguageClient) {
    this.item.name = 'p2pcheck';
    this.item.command = 'p2pcheck.explainRule';
    this.subscriptions.push(
      vscode.languages.onDidChangeDiagnostics(() => this.update()),
      vscode.window.onDidChangeActiveTextEditor(() => this.update()),
      vscode.window.tabGroups.onDidChangeTabs((e) => this.forgetClosedTabs(e.closed)),
      vscode.window.onDidChangeVisibleTextEditors((editors) => this.recheckShown(editors.map((e) => e.document))),
      client.onNotification('p2pcheck/busy', (p: { busy: boolean }) => { this.busy = p.busy; this.update(); }),
    );
  }

  /** Whether the document is one the server checks (it has p2pcheck diagnostics, or matches the selector). */
  count(uri: vscode.Uri): number {
    return vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'p2pcheck' && !isRepair(d)).length;
  }

  private update(): void {
    const doc = vscode.window.activeTextEditor?.document;
    if (!doc || !vscode.languages.match(DOCUMENTS, doc)) { this.item.hide(); return; }
    const count = this.count(doc.uri);
    this.item.text = this.busy ? '$(sync~spin) p2pcheck' : count ? `$(warning) p2pcheck: ${count}` : '$(check) p2pcheck';
    this.item.tooltip = count ? `${count} P2PDMA finding${count === 1 ? '' : 's'} in this document` : 'No P2PDMA finding in this document';
    this.item.show();
  }

  private forgetClosedTabs(closed: readonly vscode.Tab[]): void {
    const open = new Set(vscode.window.tabGroups.all.flatMap((g) => g.tabs).map(tabUri).filter(Boolean).map(String));
    for (const uri of closed.map(tabUri)) {
      if (!uri || open.has(uri.toString())) continue;
      void this.client.sendNotification('p2pcheck/forget', { uri: uri.toString() });
      this.forgotten.add(uri.toString());
    }
  }

  private recheckShown(docs: readonly vscode.TextDocument[]): void {
    for (const doc of docs) {
      if (!this.forgotten.delete(doc.uri.toString()) || !vscode.languages.match(DOCUMENTS, doc)) continue;
      void vscode.commands.executeCommand('p2pcheck.checkDocument', doc.uri.toString());
    }
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    this.item.dispose();
  }
}

function tabUri(tab: vscode.Tab): vscode.Uri | undefined {
  return tab.input instanceof vscode.TabInputText ? tab.input.uri : undefined;
}
