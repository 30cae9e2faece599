import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { runCli } from '../../src/cli/run.js';
import { CLI, LABELLED, PROJECT_ROOT } from '../helpers/paths.js';

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * The CLI in-process with captured output. Standard input is a pipe holding `stdin` when given,
 * and a terminal otherwise.
 */
export async function cli(argv: string[], stdin?: string | Buffer): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, {
    stdout: (t) => { stdout += t; },
    stderr: (t) => { stderr += t; },
    stdin: async () => Buffer.from(stdin ?? ''),
    stdinIsTTY: stdin === undefined,
  });
  return { code, stdout, stderr };
}

/** The built CLI (the dist/cli/p2pcheck.js bundle) as a child process, from the project root. */
export function spawnCli(argv: string[], options: { input?: string | Buffer; timeout?: number } = {}): Run {
  const result = spawnSync(process.execPath, [CLI, ...argv], {
    cwd: PROJECT_ROOT,
    input: options.input ?? '',
    encoding: 'utf8',
    timeout: options.timeout ?? 30_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  assert.equal(result.error, undefined, `spawn: ${result.error?.message}`);
  return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

export const labelled = (name: string) => join(LABELLED, name);

export const INTRO = {
  r1: labelled('07-nvme-pci-convert-dma-map-sgtable.reversed.patch'),
  r2: labelled('02-rdma-rw-map-p2p-signature.reversed.patch'),
  r3: labelled('06-nvmet-rdma-ensure-dma-support.reversed.patch'),
} as const;
export const CLEAN = labelled('30-nvme-pci-fix-single-segment.patch');

export { R2_ERROR_C } from '../helpers/snippets.js';

/** Asserts the shape every error message must have: one line per problem, no stack trace. */
export function assertOneLineErrors(stderr: string, inputs: string[]): void {
  const lines = stderr.split('\n').filter(Boolean);
  assert.equal(lines.length, inputs.length, stderr);
  inputs.forEach((input, i) => {
    assert.ok(lines[i]!.startsWith(`p2pcheck: ${input}: `), `${JSON.stringify(lines[i])} names ${input}`);
  });
  assert.doesNotMatch(stderr, /^\s+at |Error:|internal error/m);
}

export interface JsonFinding {
  rule: string;
  slug: string;
  severity: 'error' | 'warning' | 'info';
  message: string;
  input: string;
  mail: number;
  subject: string;
  patchLine: number;
  path: string;
  line: number;
  column: number;
  fix: string;
  references: string[];
}

export function parseJson(stdout: string): { version: number; findings: JsonFinding[]; errors: { input: string; message: string }[] } {
  return JSON.parse(stdout) as ReturnType<typeof parseJson>;
}
