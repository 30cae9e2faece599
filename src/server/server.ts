import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import {
  createConnection, ProposedFeatures, CodeActionKind, DiagnosticSeverity, DidChangeConfigurationNotification, MarkupKind, TextDocuments, TextDocumentSyncKind,
  type CodeAction, type Connection, type Diagnostic, type InitializeParams, type InitializeResult, type Range,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { addIgnore, CONFIG_FILE, ConfigError, findConfig, type IgnoredFinding, type ProjectConfig } from '../config/project-config.js';
import type { DocumentResult } from '../engine/lint.js';
import { editorDiagnostics, editorRepairs, type EditorDiagnostic, type EditorRange } from '../report/editor-diagnostics.js';
import { findingHoverMarkdown, ruleMarkdown } from '../report/rule-docs.js';
import { RULES, ruleById } from '../rules/index.js';
import type { Severity } from '../rules/rule.js';
import { isKernelTree } from '../tree/source-tree.js';
import { VERSION } from '../cli/version.js';
import type { LintJob, LintReply, WorkerSetup } from './lint-worker.js';
import { DEFAULT_SETTINGS, parseSettings, withUserRules, type Settings } from './settings.js';

/**
 * The p2pcheck language server: diagnostics, hovers and code actions for patches, mails, mboxes
 * and kernel C files, for any LSP client (the VS Code extension is one). The analysis runs in a
 * worker thread, so the message loop answers hovers and edits while a 5,000-line mbox is checked.
 */

/** Commands the server executes (workspace/executeCommand); code actions and clients use them. */
export const COMMANDS = {
  showRuleDocs: 'p2pcheck.showRuleDocs',
  ignoreFinding: 'p2pcheck.ignoreFinding',
  checkDocument: 'p2pcheck.checkDocument',
  checkStaged: 'p2pcheck.checkStaged',
  checkGitRange: 'p2pcheck.checkGitRange',
} as const;

/**
 * From a client whose editor closed a document's last view while the document stays open (VS Code
 * keeps documents a while): its diagnostics go, and it is checked again on p2pcheck.checkDocument.
 */
export const FORGET_NOTIFICATION = 'p2pcheck/forget';

/** Sent while the analysis thread has work (`{ busy: true }`) and when it is idle again. */
export const BUSY_NOTIFICATION = 'p2pcheck/busy';

const PATCH_FILE = /\.(patch|diff|eml|mbox|mbx|mail)$/i;
const C_FILE = /\.[ch]$/i;
const PATCH_LANGUAGES = new Set(['diff', 'kernel-patch', 'mail']);

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
};

/** Documents p2pcheck looks at: patches and mails (by language or name) and C files. */
export function isLintable(doc: { uri: string; languageId: string }): boolean {
  const path = doc.uri.replace(/[?#].*$/, '');
  if (!/^(file|untitled):/.test(doc.uri)) return false;
  if (PATCH_LANGUAGES.has(doc.languageId) || PATCH_FILE.test(path)) return true;
  return C_FILE.test(path) || (doc.languageId === 'c' && doc.uri.startsWith('untitled:'));
}

/** The rule pages: shipped beside the VS Code bundle, otherwise generated once into a temp folder. */
function ruleDocsDir(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  const shipped = join(here, 'docs');
  if (existsSync(join(shipped, 'R1.md'))) return shipped;
  const write = (dir: string) => {
    for (const rule of RULES) writeFileSync(join(dir, `${rule.meta.id}.md`), ruleMarkdown(rule));
    return dir;
  };
  try {
    const dir = join(tmpdir(), `p2pcheck-${VERSION}-rules`);
    mkdirSync(dir, { recursive: true });
    return write(dir);
  } catch {
    return write(mkdtempSync(join(tmpdir(), 'p2pcheck-rules-'))); // another user's folder of that name
  }
}

/** The WASM files beside the bundle (VS Code), or none: then node_modules has them. */
function wasmDir(): string | undefined {
  const here = dirname(fileURLToPath(import.meta.url));
  return existsSync(join(here, 'tree-sitter.wasm')) ? here : undefined;
}

type JobWithoutId = LintJob extends infer J ? (J extends LintJob ? Omit<J, 'id'> : never) : never;

interface Queued {
  job: LintJob;
  isStale?: () => boolean;
  resolve: (reply: LintReply | undefined) => void;
}

/**
 * The analysis thread, fed one job at a time: a job that went stale while it waited (its document
 * changed again, or closed) is dropped before it runs. A thread that dies fails its job, never the
 * server, and the next job starts a new one.
 */
class Analysis {
  private worker?: Worker;
  private nextId = 1;
  private readonly queue: Queued[] = [];
  private running?: Queued;
  private busy = false;
  onBusy: (busy: boolean) => void = () => undefined;

  private setBusy(busy: boolean): void {
    if (busy !== this.busy) this.onBusy((this.busy = busy));
  }

  /** The reply, or undefined when the job was dropped as stale. */
  run(job: JobWithoutId, isStale?: () => boolean): Promise<LintReply | undefined> {
    return new Promise((resolve) => {
      this.queue.push({ job: { ...job, id: this.nextId++ } as LintJob, isStale, resolve });
      this.dispatch();
    });
  }

  private dispatch(): void {
    if (this.running) return;
    let next: Queued | undefined;
    while ((next = this.queue.shift()) && next.isStale?.()) next.resolve(undefined);
    this.setBusy(next !== undefined);
    if (!next) return;
    this.running = next;
    this.ensure().postMessage(next.job);
  }

  private ensure(): Worker {
    if (this.worker) return this.worker;
    // the bundle (VS Code) is lint-worker.cjs beside server.cjs; the tsc build is lint-worker.js
    const self = import.meta.url;
    const entry = new URL(self.endsWith('.cjs') ? './lint-worker.cjs' : './lint-worker.js', self);
    const workerData: WorkerSetup = { wasmDir: wasmDir() };
    const worker = new Worker(entry, { workerData });
    worker.unref();
    worker.on('message', (reply: LintReply) => this.settle(reply));
    const fail = (message: string) => {
      if (this.worker !== worker) return;
      this.worker = undefined;
      if (this.running) this.settle({ id: this.running.job.id, error: message });
    };
    worker.on('error', (e) => fail(`the analysis thread failed: ${e.message}`));
    worker.on('exit', (code) => fail(`the analysis thread exited with code ${code}`));
    this.worker = worker;
    return worker;
  }

  private settle(reply: LintReply): void {
    const done = this.running;
    if (!done || done.job.id !== reply.id) return;
    this.running = undefined;
    done.resolve(reply);
    this.dispatch();
  }

  async dispose(): Promise<void> {
    const w = this.worker;
    this.worker = undefined;
    for (const q of this.queue.splice(0)) q.resolve(undefined);
    if (w) await w.terminate();
  }
}

interface DocumentState {
  timer?: NodeJS.Timeout;
  /** Bumped by every change: a run that finishes for an older generation is dropped. */
  generation: number;
  /** The document version last scheduled (didOpen also fires a content change for the same version). */
  version?: number;
  results: EditorDiagnostic[];
  /** Resolvers waiting for the next publication (checkDocument). */
  waiting: (() => void)[];
}

/** `p2pcheck --lsp`: the server on standard input and output. */
export function listenStdio(): void {
  startServer(createConnection(ProposedFeatures.all, process.stdin, process.stdout));
}

export function startServer(connection: Connection): void {
  const documents = new TextDocuments(TextDocument);
  const analysis = new Analysis();
  const states = new Map<string, DocumentState>();
  const settingsCache = new Map<string, Promise<Settings>>();
  let globalSettings: Settings = DEFAULT_SETTINGS;
  let workspaceFolders: string[] = [];
  let canPullConfiguration = false;
  let configurationChanges = false;
  let relatedInformation = false;
  let markdownHover = false;
  let showDocument = false;
  let folderChanges = false;
  let docsDir: string | undefined;
  const docsPage = (ruleId: string) => {
    docsDir ??= ruleDocsDir();
    return pathToFileURL(join(docsDir, `${ruleId}.md`)).href;
  };

  analysis.onBusy = (busy) => { void connection.sendNotification(BUSY_NOTIFICATION, { busy }); };

  connection.onInitialize((params: InitializeParams): InitializeResult => {
    const caps = params.capabilities;
    canPullConfiguration = !!caps.workspace?.configuration;
    configurationChanges = !!caps.workspace?.didChangeConfiguration?.dynamicRegistration;
    relatedInformation = !!caps.textDocument?.publishDiagnostics?.relatedInformation;
    markdownHover = !!caps.textDocument?.hover?.contentFormat?.includes(MarkupKind.Markdown);
    showDocument = !!caps.window?.showDocument?.support;
    folderChanges = !!caps.workspace?.workspaceFolders;
    workspaceFolders = (params.workspaceFolders ?? []).flatMap((f) => pathOf(f.uri) ?? []);
    const root = params.rootUri ? pathOf(params.rootUri) : undefined;
    if (workspaceFolders.length === 0 && root) workspaceFolders = [root];
    if (params.initializationOptions && typeof params.initializationOptions === 'object') {
      const init = params.initializationOptions as Record<string, unknown>;
      globalSettings = parseSettings(init.p2pcheck ?? init.settings ?? init);
    }
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: { includeText: false } },
        hoverProvider: true,
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
        executeCommandProvider: { commands: Object.values(COMMANDS) },
        workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
      },
      serverInfo: { name: 'p2pcheck', version: VERSION },
    };
  });

  connection.onInitialized(() => {
    void analysis.run({ kind: 'warm' }); // the thread and its parser start while the client opens its first document
    if (canPullConfiguration && configurationChanges) void connection.client.register(DidChangeConfigurationNotification.type, { section: 'p2pcheck' }).catch(() => undefined);
    if (folderChanges) {
      connection.workspace.onDidChangeWorkspaceFolders((e) => {
        const removed = new Set(e.removed.flatMap((f) => pathOf(f.uri) ?? []));
        workspaceFolders = [...workspaceFolders.filter((f) => !removed.has(f)), ...e.added.flatMap((f) => pathOf(f.uri) ?? [])];
      });
    }
  });

  connection.onDidChangeConfiguration((change) => {
    settingsCache.clear();
    const pushed = (change.settings as Record<string, unknown> | null)?.p2pcheck;
    if (pushed !== undefined) globalSettings = parseSettings(pushed);
    relintAll();
  });

  function settingsFor(uri: string): Promise<Settings> {
    if (!canPullConfiguration) return Promise.resolve(globalSettings);
    let s = settingsCache.get(uri);
    if (!s) {
      s = connection.workspace.getConfiguration({ scopeUri: uri, section: 'p2pcheck' }).then(
        (raw: unknown) => (raw === null || raw === undefined ? globalSettings : parseSettings(raw)),
        () => globalSettings,
      );
      settingsCache.set(uri, s);
    }
    return s!;
  }

  const filePath = pathOf;

  /** The workspace folder holding `path` (the deepest), or the first one. */
  function folderOf(path: string | undefined): string | undefined {
    const inside = path ? workspaceFolders.filter((f) => path === f || path.startsWith(f.endsWith(sep) ? f : f + sep)) : [];
    return inside.sort((a, b) => b.length - a.length)[0] ?? workspaceFolders[0];
  }

  function projectConfig(uri: string): { config: ProjectConfig; error?: string } {
    const path = filePath(uri);
    const start = path ? dirname(path) : folderOf(undefined);
    if (!start) return { config: {} };
    try {
      return { config: findConfig(start).config };
    } catch (e) {
      return { config: {}, error: e instanceof ConfigError ? e.message : (e as Error).message };
    }
  }

  const stateOf = (uri: string): DocumentState => {
    let s = states.get(uri);
    if (!s) { s = { generation: 0, results: [], waiting: [] }; states.set(uri, s); }
    return s;
  };

  function schedule(doc: TextDocument, delay: number): void {
    if (!isLintable(doc)) return;
    const state = stateOf(doc.uri);
    clearTimeout(state.timer);
    state.version = doc.version;
    state.generation++; // a later change makes a run in progress stale
    state.timer = setTimeout(() => { state.timer = undefined; void lint(doc.uri); }, delay);
  }

  let reportedConfigError: string | undefined;

  async function lint(uri: string): Promise<void> {
    const doc = documents.get(uri);
    const state = states.get(uri);
    if (!doc || !state) return;
    const generation = state.generation;
    const settings = await settingsFor(uri);
    const project = projectConfig(uri);
    if (project.error && project.error !== reportedConfigError) {
      reportedConfigError = project.error;
      void connection.window.showWarningMessage(`p2pcheck: ${project.error}`);
    }
    const path = filePath(uri);
    const folder = folderOf(path);
    const treeRoot = path && folder && isKernelTree(folder) ? folder : undefined;
    const name = path ?? uri;
    const stale = () => !documents.get(uri) || states.get(uri) !== state || state.generation !== generation;
    if (stale()) return;
    const reply = await analysis.run({
      kind: 'document', name, text: doc.getText(), kernelVersion: settings.kernelVersion, treeRoot,
      config: withUserRules(project.config, settings),
    }, stale);
    const current = documents.get(uri);
    if (!reply || !current || stale()) return; // dropped: the document changed again, or closed
    if ('error' in reply) {
      connection.console.error(`p2pcheck: ${uri}: ${reply.error}`);
      for (const done of state.waiting.splice(0)) done();
      return;
    }
    publish(current, state, reply.result);
  }

  function publish(doc: TextDocument, state: DocumentState, result: DocumentResult): void {
    const lines = doc.getText().split(/\r?\n/);
    const found = editorDiagnostics(result.findings, result.kind, lines);
    const diagnostics: Diagnostic[] = found.map((d) => ({
      range: toRange(d.range),
      severity: SEVERITY[d.finding.severity],
      code: d.finding.rule,
      codeDescription: { href: docsPage(d.finding.rule) },
      source: 'p2pcheck',
      message: d.finding.message,
      ...(relatedInformation && d.related.length
        ? { relatedInformation: d.related.map((r) => ({ location: { uri: doc.uri, range: toRange(r.range) }, message: r.message })) }
        : {}),
      data: { fingerprint: d.finding.fingerprint },
    }));
    for (const { repair, range } of editorRepairs(result.repairs, result.kind, lines)) {
      diagnostics.push({
        range: toRange(range), severity: DiagnosticSeverity.Information, code: repair.rule,
        codeDescription: { href: docsPage(repair.rule) }, source: 'p2pcheck', message: repair.message,
      });
    }
    state.results = found;
    void connection.sendDiagnostics({ uri: doc.uri, version: doc.version, diagnostics });
    for (const done of state.waiting.splice(0)) done();
  }

  function relintAll(): void {
    for (const doc of documents.all()) schedule(doc, 0);
  }

  documents.onDidOpen((e) => schedule(e.document, 0));
  documents.onDidSave((e) => schedule(e.document, 0));
  documents.onDidChangeContent((e) => {
    const doc = e.document;
    if (states.get(doc.uri)?.version === doc.version) return; // the open (or a save) already scheduled this version
    if (!states.has(doc.uri)) return; // forgotten: checked again on p2pcheck.checkDocument
    void settingsFor(doc.uri).then((settings) => {
      if (settings.run === 'onSave' || Buffer.byteLength(doc.getText()) > settings.onTypeMaxBytes) {
        stateOf(doc.uri).generation++; // the published diagnostics no longer match the text
        return;
      }
      schedule(doc, settings.debounceMs);
    });
  });
  function forget(uri: string): void {
    const state = states.get(uri);
    if (state) clearTimeout(state.timer);
    for (const done of state?.waiting.splice(0) ?? []) done();
    states.delete(uri); // a run in progress publishes nothing, and edits schedule nothing
    settingsCache.delete(uri);
    void connection.sendDiagnostics({ uri, diagnostics: [] });
  }
  documents.onDidClose((e) => forget(e.document.uri));
  connection.onNotification(FORGET_NOTIFICATION, (p: { uri?: unknown }) => { if (typeof p?.uri === 'string') forget(p.uri); });

  connection.onHover((params) => {
    const hits = (states.get(params.textDocument.uri)?.results ?? []).filter((d) => contains(d.range, params.position));
    const parts = hits.flatMap((d) => {
      const rule = ruleById(d.finding.rule);
      return rule ? [findingHoverMarkdown(rule, d.finding)] : [];
    });
    if (parts.length === 0) return null;
    return {
      contents: { kind: markdownHover ? MarkupKind.Markdown : MarkupKind.PlainText, value: parts.join('\n\n---\n\n') },
      range: toRange(hits[0]!.range),
    };
  });

  connection.onCodeAction((params) => {
    const doc = documents.get(params.textDocument.uri);
    if (!doc) return [];
    const lines = doc.getText().split(/\r?\n/);
    const actions: CodeAction[] = [];
    for (const d of states.get(doc.uri)?.results ?? []) {
      if (!intersects(d.range, params.range)) continue;
      const f = d.finding;
      const diagnostic = params.context.diagnostics.filter((x) => x.code === f.rule && x.range.start.line === d.range.line);
      const suggestion = f.suggestion;
      if (suggestion && suggestion.edits.every((e) => e.expected.every((text, i) => lines[e.startLine - 1 + i] === text))) {
        actions.push({
          title: `${f.rule}: ${suggestion.title}`, kind: CodeActionKind.QuickFix, isPreferred: true, diagnostics: diagnostic,
          edit: {
            changes: {
              [doc.uri]: suggestion.edits.map((e) => ({
                range: { start: { line: e.startLine - 1, character: 0 }, end: { line: e.endLine - 1, character: lines[e.endLine - 1]!.length } },
                newText: e.newLines.join('\n'),
              })),
            },
          },
        });
      }
      const docsTitle = `Show documentation for ${f.rule}`;
      actions.push({ title: docsTitle, kind: CodeActionKind.QuickFix, diagnostics: diagnostic, command: { title: docsTitle, command: COMMANDS.showRuleDocs, arguments: [f.rule] } });
      const ignoreTitle = `Ignore this ${f.rule} finding (${CONFIG_FILE})`;
      const ignored: IgnoredFinding = { rule: f.rule, path: f.path, fingerprint: f.fingerprint };
      actions.push({ title: ignoreTitle, kind: CodeActionKind.QuickFix, diagnostics: diagnostic, command: { title: ignoreTitle, command: COMMANDS.ignoreFinding, arguments: [doc.uri, ignored] } });
    }
    return actions;
  });

  connection.onExecuteCommand(async (params) => {
    const args = params.arguments ?? [];
    switch (params.command) {
      case COMMANDS.showRuleDocs: {
        const rule = typeof args[0] === 'string' ? ruleById(args[0]) : undefined;
        if (!rule) return null;
        const uri = docsPage(rule.meta.id);
        if (showDocument) await connection.window.showDocument({ uri, takeFocus: true }).catch(() => undefined);
        else void connection.window.showInformationMessage(`p2pcheck ${rule.meta.id}: ${rule.meta.summary} (${uri})`);
        return uri;
      }
      case COMMANDS.ignoreFinding: {
        const [uri, finding] = args as [unknown, IgnoredFinding | undefined];
        if (typeof uri !== 'string' || !finding || typeof finding.fingerprint !== 'string') return null;
        const path = filePath(uri);
        const folder = folderOf(path) ?? (path ? dirname(path) : undefined);
        if (!folder) {
          void connection.window.showWarningMessage(`p2pcheck: open a folder to keep ${CONFIG_FILE} in.`);
          return null;
        }
        try {
          const file = findConfig(path ? dirname(path) : folder).path ?? join(folder, CONFIG_FILE);
          addIgnore(file, finding);
          relintAll();
          return file;
        } catch (e) {
          void connection.window.showWarningMessage(`p2pcheck: ${(e as Error).message.split('\n')[0]}`);
          return null;
        }
      }
      case COMMANDS.checkDocument: {
        const uri = typeof args[0] === 'string' ? args[0] : undefined;
        const doc = uri ? documents.get(uri) : undefined;
        if (!doc || !isLintable(doc)) return null;
        const state = stateOf(doc.uri);
        const published = new Promise<void>((done) => state.waiting.push(done));
        schedule(doc, 0);
        await published;
        return states.get(doc.uri)?.results.length ?? 0;
      }
      case COMMANDS.checkStaged:
      case COMMANDS.checkGitRange:
        return checkRepository(params.command === COMMANDS.checkGitRange ? args[0] : undefined);
      default:
        return null;
    }
  });

  /** What git gives for the workspace repository, linted in tree context, on the real source files. */
  let gitPublished = new Set<string>();
  async function checkRepository(rangeArg: unknown): Promise<number | null> {
    const range = rangeArg === undefined ? undefined : String(rangeArg);
    const what = range ?? 'staged changes';
    const folder = folderOf(undefined);
    if (!folder) {
      void connection.window.showWarningMessage('p2pcheck: open a folder inside a git repository.');
      return null;
    }
    const settings = await settingsFor(pathToFileURL(folder).href);
    const project = projectConfig(pathToFileURL(join(folder, CONFIG_FILE)).href);
    const reply = await analysis.run({ kind: 'git', cwd: folder, range, kernelVersion: settings.kernelVersion, config: withUserRules(project.config, settings) });
    if (!reply) return null; // shutting down
    if ('error' in reply) {
      void connection.window.showWarningMessage(`p2pcheck: ${what}: ${reply.error}`);
      return null;
    }
    const root = reply.result.root ?? folder;
    const byFile = new Map<string, Diagnostic[]>();
    for (const f of reply.result.findings) {
      const file = resolve(root, f.path);
      const uri = pathToFileURL(file).href;
      const list = byFile.get(uri) ?? [];
      const start = Math.max(f.column - 1, 0);
      const end = Math.max(lineLength(file, f.line - 1), start + 1);
      list.push({
        range: { start: { line: f.line - 1, character: start }, end: { line: f.line - 1, character: end } },
        severity: SEVERITY[f.severity], code: f.rule, codeDescription: { href: docsPage(f.rule) }, source: 'p2pcheck', message: f.message,
      });
      byFile.set(uri, list);
    }
    for (const uri of gitPublished) if (!byFile.has(uri) && !documents.get(uri)) void connection.sendDiagnostics({ uri, diagnostics: [] });
    for (const [uri, diagnostics] of byFile) void connection.sendDiagnostics({ uri, diagnostics });
    gitPublished = new Set(byFile.keys());
    const n = reply.result.findings.length;
    void connection.window.showInformationMessage(`p2pcheck: ${n} finding${n === 1 ? '' : 's'} in ${what}.`);
    return n;
  }

  connection.onShutdown(async () => {
    for (const s of states.values()) clearTimeout(s.timer);
    await analysis.dispose();
  });

  documents.listen(connection);
  connection.listen();
}

/** The length of a line of a file on disk (0 when it cannot be read). */
function lineLength(file: string, line: number): number {
  try {
    return readFileSync(file, 'utf8').split(/\r?\n/)[line]?.length ?? 0;
  } catch {
    return 0;
  }
}

/** The local path of a file: URI; undefined for other schemes and for what Node cannot read as a local path (file://host/...). */
function pathOf(uri: string): string | undefined {
  if (!uri.startsWith('file:')) return undefined;
  try {
    return fileURLToPath(uri);
  } catch {
    return undefined;
  }
}

function toRange(r: EditorRange): Range {
  return { start: { line: r.line, character: r.startColumn }, end: { line: r.line, character: r.endColumn } };
}

function contains(r: EditorRange, p: { line: number; character: number }): boolean {
  return p.line === r.line && p.character >= r.startColumn && p.character <= r.endColumn;
}

function intersects(r: EditorRange, range: Range): boolean {
  if (range.end.line < r.line || range.start.line > r.line) return false;
  const start = range.start.line === r.line ? range.start.character : 0;
  const end = range.end.line === r.line ? range.end.character : Number.MAX_SAFE_INTEGER;
  return start <= r.endColumn && end >= r.startColumn;
}
