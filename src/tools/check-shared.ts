import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

/**
 * Before `npm test`: the tests read `../shared` (the corpus, the rule catalog, the b4 and VS Code
 * test kits), a folder beside this clone that npm does not install. Without it: one line saying
 * so, exit 1, instead of a hundred failing tests.
 */
const root = resolve(process.argv[2] ?? process.cwd());
const shared = join(root, '..', 'shared');
const needed = ['corpus', join('tools', 'b4', 'b4'), join('tools', 'vscode-e2e', 'install.sh')];
const missing = needed.filter((p) => !existsSync(join(shared, p)));
if (missing.length) {
  const what = existsSync(shared) ? `${shared} lacks ${missing.join(', ')}` : `${shared} does not exist`;
  process.stderr.write(`p2pcheck: npm test needs the project's shared folder beside this clone (corpus, rule catalog, b4 and VS Code test kits; see README "Set up"): ${what}\n`);
  process.exitCode = 1;
}
