import { execFile } from 'node:child_process';

/**
 * Runs git on the workspace repository without running anything the repository could name:
 * no external diff or textconv drivers, no fsmonitor hook, no pager.
 */
export function git(cwd: string, args: string[]): Promise<string> {
  const safe = ['-c', 'core.fsmonitor=false', '-c', 'core.pager=cat', '--no-pager'];
  return new Promise((resolve, reject) => {
    execFile('git', [...safe, ...args], { cwd, maxBuffer: 256 * 1024 * 1024, env: { ...process.env, GIT_EXTERNAL_DIFF: '' } }, (err, stdout, stderr) => {
      if (err) reject(new Error(stderr.split('\n')[0] || err.message));
      else resolve(stdout);
    });
  });
}

export async function repositoryRoot(cwd: string): Promise<string> {
  return (await git(cwd, ['rev-parse', '--show-toplevel'])).trim();
}

/** The staged changes as one diff. */
export function stagedDiff(root: string): Promise<string> {
  return git(root, ['diff', '--cached', '--no-ext-diff', '--no-textconv', '--no-color']);
}

/** Every commit of a range as format-patch mails (an mbox). */
export function rangeMails(root: string, range: string): Promise<string> {
  if (range.startsWith('-')) return Promise.reject(new Error(`not a git range: ${range}`));
  return git(root, ['format-patch', '--stdout', '--no-ext-diff', '--no-textconv', '--no-color', '--no-signature', range]);
}
