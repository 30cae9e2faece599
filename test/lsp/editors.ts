import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensurePackage } from '../bench/kernel-tree.js';
import { CLI, PROJECT_ROOT } from '../helpers/paths.js';
import { labelledFindings } from './labelled.js';

/**
 * A real editor's LSP client, headless, against `p2pcheck --lsp`: the editor's Debian packages are
 * installed when missing (as root, as in CI), the client script in test/lsp/clients opens a
 * labelled corpus patch in place and writes what the editor holds as JSON.
 */
export function ensureEditor(packages: [pkg: string, file: string][]): void {
  for (const [pkg, file] of packages) {
    const missing = ensurePackage(pkg, file);
    assert.equal(missing, undefined, missing);
  }
}

export interface EditorRun<T> {
  result: T;
  expected: ReturnType<typeof labelledFindings>;
}

export function runEditor<T>(file: string, command: (script: string) => [string, string[]]): EditorRun<T> {
  const expected = labelledFindings(file);
  const out = mkdtempSync(join(tmpdir(), 'p2pcheck-editor-'));
  try {
    const [program, args] = command(join(PROJECT_ROOT, 'test', 'lsp', 'clients'));
    const run = spawnSync(program, args, {
      cwd: PROJECT_ROOT, encoding: 'utf8', timeout: 90_000, input: '',
      env: {
        ...process.env, HOME: out, P2P_CMD: JSON.stringify([process.execPath, CLI, '--lsp']), P2P_FILE: expected.path,
        P2P_EXPECT: String(expected.expected.length), P2P_OUT: join(out, 'result.json'),
      },
    });
    assert.equal(run.error, undefined, `${program}: ${run.error?.message}`);
    let text: string;
    try {
      text = readFileSync(join(out, 'result.json'), 'utf8');
    } catch {
      throw new Error(`${program} wrote no result (exit ${run.status}): ${run.stdout}\n${run.stderr}`);
    }
    return { result: JSON.parse(text) as T, expected };
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}
