import { join } from 'node:path';

/** Tests run from the project root (npm test); the shared corpus sits beside the project. */
export const PROJECT_ROOT = process.cwd();
export const CORPUS = join(PROJECT_ROOT, '..', 'shared', 'corpus');
export const LABELLED = join(CORPUS, 'labelled');
export const NOISE = join(CORPUS, 'noise');
/** The CLI as installed: the esbuild bundle that package.json's `bin` names. */
export const CLI = join(PROJECT_ROOT, 'dist', 'cli', 'p2pcheck.js');

export function projectPath(...parts: string[]): string {
  return join(PROJECT_ROOT, ...parts);
}
