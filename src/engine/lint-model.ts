import type { EraClaim } from '../analysis/kernel-era.js';
import type { SourceTree } from '../tree/source-tree.js';

/** What lintPatches shares with the code that must not load it (the CLI before its pre-filter). */

/**
 * Tree context: pre-images come from `source`; each patch's post-images go to `overlay`, so the
 * patches of a series apply cumulatively; `notes` says where a patch did not apply, and which
 * fragment findings the tree context removed.
 */
export interface TreeContext {
  source: SourceTree;
  overlay: Map<string, string>;
  notes: Note[];
  /**
   * The patches are this tree's own commits (--git, --staged, --worktree): their Date is the
   * author's, not a posting date, and does not bound the era; the tree names it.
   */
  ownHistory?: boolean;
}

export interface Note {
  input: string;
  mail: number;
  path: string;
  message: string;
  /** not-applied: the hunks were read as fragments; tree-removed: a fragment finding the tree context explains away; corrupt: a damaged hunk. */
  kind?: 'not-applied' | 'tree-removed' | 'corrupt';
  /** For tree-removed: the finding the hunks alone give, and the fact of the tree that removes it. */
  removed?: { rule: string; line: number; patchLine: number; message: string; fact: string };
}

export function treeContext(source: SourceTree, ownHistory = false): TreeContext {
  return { source, overlay: new Map(), notes: [], ...(ownHistory ? { ownHistory } : {}) };
}

/** Per run: the era claims of each mail by Message-Id, and the identifiers each series defines. */
export interface EraMemory {
  claims: Map<string, EraClaim[]>;
  defined: Map<string, Set<string>>;
  /** Read, never written: the reversed patch of a repair check must not record its own mail. */
  frozen?: boolean;
  /** By Message-Id: what the mail's series had defined when the mail was first read. */
  seen?: Map<string, Set<string>>;
}

export function newEraMemory(): EraMemory {
  return { claims: new Map(), defined: new Map() };
}

export interface LintStats {
  patches: number;
  files: number;
  /** C files skipped by the identifier pre-filter before any parsing. */
  filesSkipped: number;
  fragments: number;
  fragmentsWithErrors: number;
  errorNodes: number;
  /** Tree mode: files that did not apply (read as fragments). */
  notApplied?: number;
  /** Tree mode: fragment findings the tree context removed, each with its fact in the notes. */
  treeRemoved?: number;
  /** Tree mode: fragment findings kept although facts in other functions of the file would remove them. */
  treeKept?: number;
}

export function newStats(): LintStats {
  return { patches: 0, files: 0, filesSkipped: 0, fragments: 0, fragmentsWithErrors: 0, errorNodes: 0, notApplied: 0, treeRemoved: 0, treeKept: 0 };
}
