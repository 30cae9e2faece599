import { readFileSync } from 'node:fs';
import { lintPatches, newStats, type LintOptions, type LintStats } from '../../src/engine/lint.js';
import { readInput } from '../../src/input/read-input.js';
import type { Finding } from '../../src/rules/rule.js';

/** Reads and lints one input in-process, as the CLI does. */
export async function lintBytes(name: string, bytes: Buffer | string, options: LintOptions = {}, stats?: LintStats): Promise<Finding[]> {
  const buf = typeof bytes === 'string' ? Buffer.from(bytes) : bytes;
  return lintPatches(await readInput(name, buf), options, stats ?? newStats());
}

export async function lintFile(path: string, options: LintOptions = {}, stats?: LintStats): Promise<Finding[]> {
  return lintBytes(path, readFileSync(path), options, stats);
}
