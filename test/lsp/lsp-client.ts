import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import {
  createProtocolConnection, StreamMessageReader, StreamMessageWriter, type ClientCapabilities, type Diagnostic,
  type ProtocolConnection, type PublishDiagnosticsParams,
} from 'vscode-languageserver-protocol/node';
import { CLI, PROJECT_ROOT } from '../helpers/paths.js';

/**
 * A plain LSP client over stdio for the tests and the latency benchmark: it starts `p2pcheck --lsp`
 * as a child process, and keeps every publishDiagnostics it receives.
 */
export class LspClient {
  readonly connection: ProtocolConnection;
  readonly published: PublishDiagnosticsParams[] = [];
  readonly notifications: { method: string; params: unknown }[] = [];
  /** What the server asked with workspace/configuration, and what it was answered. */
  settings: Record<string, unknown> = {};
  readonly configurationRequests: unknown[] = [];
  readonly shownDocuments: unknown[] = [];
  stderr = '';
  private waiters: { test: () => boolean; done: () => void }[] = [];

  private constructor(readonly child: ChildProcess) {
    this.connection = createProtocolConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
    child.stderr!.on('data', (d: Buffer) => { this.stderr += d.toString(); });
    this.connection.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => {
      this.published.push(p);
      this.poke();
    });
    for (const method of ['p2pcheck/busy', 'window/showMessage', 'window/logMessage']) {
      this.connection.onNotification(method, (params: unknown) => { this.notifications.push({ method, params }); this.poke(); });
    }
    this.connection.onRequest('workspace/configuration', (p: { items: { section?: string }[] }) => {
      this.configurationRequests.push(p);
      return p.items.map((i) => (i.section === 'p2pcheck' ? this.settings : null));
    });
    this.connection.onRequest('client/registerCapability', () => null);
    this.connection.onRequest('window/showDocument', (p: unknown) => { this.shownDocuments.push(p); return { success: true }; });
    this.connection.listen();
  }

  static start(args: string[] = ['--lsp'], cwd = PROJECT_ROOT): LspClient {
    return new LspClient(spawn(process.execPath, [CLI, ...args], { cwd, stdio: ['pipe', 'pipe', 'pipe'] }));
  }

  async initialize(capabilities: ClientCapabilities, workspaceFolder?: string, initializationOptions?: unknown): Promise<unknown> {
    const folders = workspaceFolder ? [{ uri: `file://${workspaceFolder}`, name: 'ws' }] : null;
    const result = await this.connection.sendRequest('initialize', {
      processId: process.pid, rootUri: folders?.[0]?.uri ?? null, workspaceFolders: folders, capabilities, initializationOptions,
    });
    await this.connection.sendNotification('initialized', {});
    return result;
  }

  /** Resolves when `test` holds (checked on every notification), or rejects after `timeoutMs`. */
  until(what: string, test: () => boolean, timeoutMs = 20_000): Promise<void> {
    if (test()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}; stderr: ${this.stderr}`)), timeoutMs);
      this.waiters.push({ test, done: () => { clearTimeout(timer); resolve(); } });
    });
  }

  /** The next publishDiagnostics for `uri` after this call (optionally one that satisfies `accept`). */
  nextDiagnostics(uri: string, accept: (d: Diagnostic[]) => boolean = () => true, timeoutMs = 20_000): Promise<PublishDiagnosticsParams> {
    const from = this.published.length;
    const find = () => this.published.slice(from).find((p) => p.uri === uri && accept(p.diagnostics));
    return this.until(`diagnostics of ${uri}`, () => find() !== undefined, timeoutMs).then(() => find()!);
  }

  private poke(): void {
    this.waiters = this.waiters.filter((w) => {
      if (!w.test()) return true;
      w.done();
      return false;
    });
  }

  /** shutdown, exit, and the process's exit code. */
  async stop(): Promise<number | null> {
    const exited = once(this.child, 'exit');
    await this.connection.sendRequest('shutdown');
    await this.connection.sendNotification('exit');
    const [code] = (await exited) as [number | null];
    this.connection.dispose();
    return code;
  }
}
