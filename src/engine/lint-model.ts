import type { SourceTree } from '../tree/source-tree.js';

/** What lintPatches shares with the code that must not load it (the CLI before its pre-filter). */

/**
 * Tree context: pre-images come from `source`; each patch's post-images go to `overlay`, so the
 * patches of a series apply cumulatively; `notes` says where a patch did not apply.
 */
export interface TreeContext {
  source: SourceTree;
  overlay: Map<string, string>;
  notes: Note[];
}

export interface Note {
  input: string;
  mail: number;
  path: string;
  message: string;
}

export function treeContext(source: SourceTree): TreeContext {
  return { source, overlay: new Map(), notes: [] };
}

export interface LintStats {
  patches: number;
  files: number;
  /** C files skipped by the identifier pre-filter before any parsing. */
  filesSkipped: number;
  fragments: number;
  fragmentsWithErrors: number;
  errorNodes: number;
}

export function newStats(): LintStats {
  return { patches: 0, files: 0, filesSkipped: 0, fragments: 0, fragmentsWithErrors: 0, errorNodes: 0 };
}

