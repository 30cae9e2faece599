import { dirname } from 'node:path';
import * as vscode from 'vscode';
import { ConfigError, findConfig, type LoadedConfig } from '../config/project-config.js';
import { lintDocument } from '../engine/lint.js';
import { editorDiagnostics, editorRepairs, type EditorDiagnostic, type EditorRange } from '../report/editor-diagnostics.js';
import { findingDiagnostic, ruleDocUri } from './rule-docs.js';
import { readSettings, withUserRules } from './settings.js';

const PATCH_FILE = /\.(patch|diff|eml|mbox|mail)$/i;
const C_FILE = /\.[ch]$/;

/** Documents p2pcheck looks at: patches (diff language or by name), mails, and kernel C files. */
export function isLintable(doc: vscode.TextDocument): boolean {
  if (doc.uri.scheme !== 'file' && doc.uri.scheme !== 'untitled') return false;
  if (doc.languageId === 'diff' || doc.languageId === 'kernel-patch') return true;
  if (doc.languageId === 'c') return C_FILE.test(doc.fileName) || doc.isUntitled;
  return PATCH_FILE.test(doc.fileName);
}

/**
 * Lints open documents: debounced while typing, at once on open and save, a stale run's result
 * dropped when the document moved on, diagnostics gone when it closes.
 */
export class LintController implements vscode.Disposable {
  readonly diagnostics = vscode.languages.createDiagnosticCollection('p2pcheck');
  private readonly results = new Map<string, EditorDiagnostic[]>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly generation = new Map<string, number>();
  private readonly status = vscode.window.createStatusBarItem(vscode.StatusBarAlignment.Left, 10);
  private readonly subscriptions: vscode.Disposable[] = [];
  private running = 0;

  constructor(private readonly extensionUri: vscode.Uri) {
    this.status.name = 'p2pcheck';
    this.status.command = 'p2pcheck.explainRule';
    this.subscriptions.push(
      vscode.workspace.onDidOpenTextDocument((d) => this.schedule(d, 0)),
      vscode.workspace.onDidChangeTextDocument((e) => this.onChange(e.document)),
      vscode.workspace.onDidSaveTextDocument((d) => this.schedule(d, 0)),
      vscode.workspace.onDidCloseTextDocument((d) => this.forget(d.uri)),
      vscode.window.tabGroups.onDidChangeTabs((e) => this.forgetClosedTabs(e.closed)),
      vscode.window.onDidChangeActiveTextEditor(() => this.updateStatus()),
      vscode.window.onDidChangeVisibleTextEditors((editors) => this.lintUnchecked(editors.map((e) => e.document))),
      vscode.workspace.onDidChangeConfiguration((e) => { if (e.affectsConfiguration('p2pcheck')) this.relintAll(); }),
    );
    for (const doc of vscode.workspace.textDocuments) this.schedule(doc, 0);
  }

  /** The diagnostics of a document as last computed (for hovers and code actions). */
  resultsFor(uri: vscode.Uri): readonly EditorDiagnostic[] {
    return this.results.get(uri.toString()) ?? [];
  }

  /** A document shown again after its tab closed (VS Code kept it open) is checked again. */
  private lintUnchecked(docs: readonly vscode.TextDocument[]): void {
    for (const doc of docs) if (!this.results.has(doc.uri.toString()) && !this.timers.has(doc.uri.toString())) this.schedule(doc, 0);
  }

  relintAll(): void {
    for (const doc of vscode.workspace.textDocuments) this.schedule(doc, 0);
  }

  /** Lints now and resolves when the diagnostics are published. */
  async lintNow(doc: vscode.TextDocument): Promise<readonly EditorDiagnostic[]> {
    await this.run(doc);
    return this.resultsFor(doc.uri);
  }

  private onChange(doc: vscode.TextDocument): void {
    const settings = readSettings(doc.uri);
    if (settings.run === 'onSave' || doc.getText().length > settings.onTypeMaxBytes) return;
    this.schedule(doc, settings.debounceMs);
  }

  private schedule(doc: vscode.TextDocument, delay: number): void {
    if (!isLintable(doc)) return;
    const key = doc.uri.toString();
    clearTimeout(this.timers.get(key));
    this.generation.set(key, (this.generation.get(key) ?? 0) + 1); // a later edit makes a running lint stale
    this.timers.set(key, setTimeout(() => { this.timers.delete(key); void this.run(doc); }, delay));
  }

  private async run(doc: vscode.TextDocument): Promise<void> {
    const key = doc.uri.toString();
    const generation = this.generation.get(key) ?? 0;
    const version = doc.version;
    this.running++;
    this.updateStatus();
    try {
      const settings = readSettings(doc.uri);
      const project = this.projectConfig(doc);
      const result = await lintDocument(doc.fileName, doc.getText(), { kernelVersion: settings.kernelVersion }, withUserRules(project.config, settings));
      if (doc.isClosed || doc.version !== version || (this.generation.get(key) ?? 0) !== generation) return; // stale
      const lines = Array.from({ length: doc.lineCount }, (_, i) => doc.lineAt(i).text);
      const found = editorDiagnostics(result.findings, result.kind, lines);
      const repairs = editorRepairs(result.repairs, result.kind, lines).map(({ repair, range }) => {
        const d = new vscode.Diagnostic(toRange(range), repair.message, vscode.DiagnosticSeverity.Information);
        d.source = 'p2pcheck';
        d.code = { value: repair.rule, target: ruleDocUri(this.extensionUri, repair.rule) };
        return d;
      });
      this.results.set(key, found);
      this.diagnostics.set(doc.uri, [...found.map((d) => this.toDiagnostic(doc.uri, d)), ...repairs]);
    } catch (e) {
      const message = e instanceof ConfigError ? e.message : (e as Error).message ?? String(e);
      void vscode.window.showWarningMessage(`p2pcheck: ${message.split('\n')[0]}`);
    } finally {
      this.running--;
      this.updateStatus();
    }
  }

  private projectConfig(doc: vscode.TextDocument): LoadedConfig {
    const folder = vscode.workspace.getWorkspaceFolder(doc.uri) ?? vscode.workspace.workspaceFolders?.[0];
    const start = doc.uri.scheme === 'file' ? dirname(doc.uri.fsPath) : folder?.uri.fsPath;
    return start ? findConfig(start) : { config: {} };
  }

  private toDiagnostic(uri: vscode.Uri, d: EditorDiagnostic): vscode.Diagnostic {
    const diagnostic = findingDiagnostic(d.finding, toRange(d.range), this.extensionUri);
    diagnostic.relatedInformation = d.related.map((r) => new vscode.DiagnosticRelatedInformation(new vscode.Location(uri, toRange(r.range)), r.message));
    return diagnostic;
  }

  private forget(uri: vscode.Uri): void {
    const key = uri.toString();
    clearTimeout(this.timers.get(key));
    this.timers.delete(key);
    this.generation.delete(key);
    this.results.delete(key);
    this.diagnostics.delete(uri);
    this.updateStatus();
  }

  /** VS Code keeps a closed editor's document for a while; its diagnostics go with the tab. */
  private forgetClosedTabs(closed: readonly vscode.Tab[]): void {
    const open = new Set(vscode.window.tabGroups.all.flatMap((g) => g.tabs).map(tabUri).filter(Boolean).map(String));
    for (const uri of closed.map(tabUri)) if (uri && !open.has(uri.toString())) this.forget(uri);
  }

  private updateStatus(): void {
    const doc = vscode.window.activeTextEditor?.document;
    if (!doc || !isLintable(doc)) { this.status.hide(); return; }
    const count = this.resultsFor(doc.uri).length;
    this.status.text = this.running > 0 ? '$(sync~spin) p2pcheck' : count ? `$(warning) p2pcheck: ${count}` : '$(check) p2pcheck';
    this.status.tooltip = count ? `${count} P2PDMA finding${count === 1 ? '' : 's'} in this document` : 'No P2PDMA finding in this document';
    this.status.show();
  }

  dispose(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    for (const s of this.subscriptions) s.dispose();
    this.diagnostics.dispose();
    this.status.dispose();
  }
}

function tabUri(tab: vscode.Tab): vscode.Uri | undefined {
  return tab.input instanceof vscode.TabInputText ? tab.input.uri : undefined;
}

export function toRange(r: EditorRange): vscode.Range {
  return new vscode.Range(r.line, r.startColumn, r.line, r.endColumn);
}
