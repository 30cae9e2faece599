import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/**
 * The last step of `npm test`: the extension's integration tests in a real VS Code (the shared
 * vscode-e2e kit), once against the development build and once against the packaged .vsix, then
 * one closing line that counts the unit tests too.
 */
const root = process.cwd();
const kit = resolve(root, '..', 'shared', 'tools', 'vscode-e2e');
const env = { ...process.env, P2PCHECK_CORPUS: resolve(root, '..', 'shared', 'corpus'), P2PCHECK_ROOT: root };
const TESTS = 'dist/extension/e2e/index.cjs';
const WORKSPACE = 'test/e2e/workspace';

function run(command: string, args: string[]): Promise<{ code: number; output: string }> {
  return new Promise((done) => {
    const child = spawn(command, args, { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const echo = (chunk: Buffer) => { output += chunk.toString(); process.stdout.write(chunk); };
    child.stdout.on('data', echo);
    child.stderr.on('data', echo);
    child.on('close', (code) => done({ code: code ?? 1, output }));
  });
}

/** The kit's (and the unit run's) closing counts. */
function counts(text: string, pattern: RegExp): { passed: number; failed: number } {
  const m = [...text.matchAll(pattern)].at(-1);
  return m ? { passed: Number(m[1]), failed: Number(m[2]) } : { passed: 0, failed: 1 };
}

async function main(): Promise<number> {
  const unitTap = join(root, 'dist', 'unit-tests.tap');
  const unit = existsSync(unitTap)
    ? counts(readFileSync(unitTap, 'utf8'), /^# pass (\d+)\n# fail (\d+)$/gm)
    : { passed: 0, failed: 0 };
  if (process.env.P2PCHECK_SKIP_E2E && !process.env.CI) {
    console.log('e2e: skipped (P2PCHECK_SKIP_E2E); CI never skips it');
    console.log(`${unit.passed} passed, ${unit.failed} failed`);
    return unit.failed ? 1 : 0;
  }
  const steps: { code: number; output: string }[] = [];
  const step = async (command: string, args: string[]) => { const r = await run(command, args); steps.push(r); return r; };
  await step(process.execPath, ['dist/src/tools/bundle-extension.js']);
  await step('bash', [join(kit, 'install.sh')]);
  const kitRun = (extra: string[], out: string) => step(process.execPath, [
    join(kit, 'run.mjs'), ...extra, '--tests', TESTS, '--workspace', WORKSPACE, '--out', out, '--timeout', '300',
  ]);
  const dev = await kitRun(['--extension', '.'], 'dist/e2e-out');
  await step('npx', ['vsce', 'package', '--no-dependencies', '--skip-license', '-o', 'dist/p2pcheck.vsix']);
  const vsix = await kitRun(['--vsix', 'dist/p2pcheck.vsix'], 'dist/e2e-vsix-out');
  const e2e = [dev, vsix].map((r) => counts(r.output, /^(\d+) passed, (\d+) failed$/gm));
  const setupFailed = steps.some((s) => s.code !== 0 && s !== dev && s !== vsix);
  const passed = unit.passed + e2e[0]!.passed + e2e[1]!.passed;
  const failed = unit.failed + e2e[0]!.failed + e2e[1]!.failed + (setupFailed ? 1 : 0);
  console.log(`unit ${unit.passed}/${unit.passed + unit.failed}, e2e dev ${e2e[0]!.passed}/${e2e[0]!.passed + e2e[0]!.failed}, e2e vsix ${e2e[1]!.passed}/${e2e[1]!.passed + e2e[1]!.failed}`);
  console.log(`${passed} passed, ${failed} failed`);
  return failed || dev.code || vsix.code ? 1 : 0;
}

main().then((code) => { process.exitCode = code; }, (e: unknown) => {
  console.error(`e2e: ${(e as Error).message}`);
  process.exitCode = 1;
});
