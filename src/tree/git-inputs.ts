import { DirectoryTree, GitTree, git, isKernelTree, type SourceTree } from './source-tree.js';

/** What a git option hands the linter: the patches as text, and the tree they apply to. */
export interface GitInput {
  name: string;
  text: string;
  tree: SourceTree;
}

export function repositoryRoot(cwd: string): string {
  return git(cwd, ['rev-parse', '--show-toplevel']).trim();
}

const DIFF_FLAGS = ['--no-ext-diff', '--no-textconv', '--no-color'];

/**
 * `--git RANGE` as checkpatch.pl -g takes it: `A..B`, or one commit. Every commit becomes a mail
 * (format-patch), applied in order on top of the range's base.
 */
export function gitRange(cwd: string, range: string): GitInput {
  if (range.startsWith('-')) throw new Error(`not a git range: ${range}`);
  const root = repositoryRoot(cwd);
  const [base, spec] = range.includes('..') ? [range.split('..')[0] || 'HEAD', range] : [`${range}^`, `${range}^..${range}`];
  const text = git(root, ['format-patch', '--stdout', '--no-signature', ...DIFF_FLAGS, spec]);
  return { name: `git ${range}`, text, tree: new GitTree(root, git(root, ['rev-parse', base]).trim()) };
}

/** What is staged, against HEAD. */
export function gitStaged(cwd: string): GitInput {
  const root = repositoryRoot(cwd);
  return { name: 'git staged', text: git(root, ['diff', '--cached', ...DIFF_FLAGS]), tree: new GitTree(root, 'HEAD') };
}

/** What the work tree changes, against the index. */
export function gitWorktree(cwd: string): GitInput {
  const root = repositoryRoot(cwd);
  return { name: 'git worktree', text: git(root, ['diff', ...DIFF_FLAGS]), tree: new GitTree(root, '') };
}

/** `--tree DIR`, or the current directory when it is a kernel checkout. */
export function treeAt(dir: string | undefined, cwd: string): SourceTree | undefined {
  if (dir) return new DirectoryTree(dir);
  return isKernelTree(cwd) ? new DirectoryTree(cwd) : undefined;
}
