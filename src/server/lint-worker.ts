import { parentPort, workerData } from 'node:worker_threads';
import type { Version } from '../analysis/kernel-era.js';
import { cParser, locateParser } from '../c-parse/c-parser.js';
import type { ProjectConfig } from '../config/project-config.js';
import { lintDocument, treeContext, type DocumentResult } from '../engine/lint.js';
import { gitRange, gitStaged, repositoryRoot, type GitInput } from '../tree/git-inputs.js';
import { DirectoryTree, git } from '../tree/source-tree.js';

/**
 * The language server's analysis thread: the message loop hands it documents (or a git check) and
 * stays free for hovers, code actions and cancellations while it parses and runs the rules.
 */
export type LintJob =
  | { id: number; kind: 'document'; name: string; text: string; kernelVersion?: Version; treeRoot?: string; config: ProjectConfig }
  | { id: number; kind: 'git'; cwd: string; range?: string; kernelVersion?: Version; config: ProjectConfig }
  /** Loads the WASM parser ahead of the first document. */
  | { id: number; kind: 'warm' };

export type LintReply = { id: number; result: DocumentResult & { root?: string } } | { id: number; error: string };

export interface WorkerSetup {
  /** Where tree-sitter.wasm and tree-sitter-c.wasm are, when not in node_modules (the VS Code bundle). */
  wasmDir?: string;
}

const setup = (workerData ?? {}) as WorkerSetup;
if (setup.wasmDir) locateParser({ runtimeWasmDir: setup.wasmDir, grammarWasm: `${setup.wasmDir}/tree-sitter-c.wasm` });

async function run(job: LintJob): Promise<LintReply> {
  try {
    if (job.kind === 'warm') {
      await cParser();
      return { id: job.id, result: { kind: 'diff', findings: [], repairs: [], problems: [] } };
    }
    if (job.kind === 'document') {
      const source = job.treeRoot ? new DirectoryTree(job.treeRoot) : undefined;
      // a C file of the checkout is the tree's own: its Makefile says the version; a patch gets the
      // tree's version only when it applies to the tree (the era logic decides)
      const own = /\.[ch]$/.test(job.name) ? source?.kernelVersion() : undefined;
      const options = { kernelVersion: job.kernelVersion ?? own, tree: source ? treeContext(source) : undefined };
      return { id: job.id, result: await lintDocument(job.name, job.text, options, job.config) };
    }
    // the same git inputs and tree context as the CLI's --staged and --git RANGE
    if (job.range) {
      const unknown = unknownRevision(job.cwd, job.range);
      if (unknown) return { id: job.id, error: `${unknown} is not a revision of this repository` };
    }
    const input: GitInput = job.range ? gitRange(job.cwd, job.range) : gitStaged(job.cwd);
    // the repository's own commits: their author dates do not bound the era (ownHistory)
    const options = { kernelVersion: job.kernelVersion, tree: treeContext(input.tree, true) };
    const result = input.text.trim()
      ? await lintDocument(`${input.name}.patch`, input.text, options, job.config)
      : { kind: 'diff' as const, findings: [], repairs: [], problems: [] };
    return { id: job.id, result: { ...result, root: repositoryRoot(job.cwd) } };
  } catch (e) {
    return { id: job.id, error: gitMessage(e) };
  }
}

/** The first end of `A..B` (or the one commit) that git does not know, asked quietly (rev-parse --verify --quiet). */
function unknownRevision(cwd: string, range: string): string | undefined {
  const root = repositoryRoot(cwd);
  const ends = range.includes('..') ? range.split(/\.\.\.?/).map((r) => r || 'HEAD') : [range];
  return ends.find((rev) => {
    if (rev.startsWith('-')) return true;
    try {
      git(root, ['rev-parse', '--verify', '--quiet', `${rev}^{commit}`]);
      return false;
    } catch {
      return true;
    }
  });
}

/** execFileSync's "Command failed: git ..." plus git's stderr, as one line: what git said. */
function gitMessage(e: unknown): string {
  const err = e as Error & { stderr?: string | Buffer };
  const stderr = err.stderr ? String(err.stderr).trim() : '';
  const said = stderr.split('\n').find((l) => /^(fatal|error):/.test(l)) ?? stderr.split('\n')[0];
  return (said || (err.message ?? String(e))).split('\n')[0]!;
}

let pending = Promise.resolve();
parentPort?.on('message', (job: LintJob) => {
  pending = pending.then(async () => parentPort!.postMessage(await run(job)));
});
