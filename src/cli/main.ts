#!/usr/bin/env node
import { readStdin } from './collect-inputs.js';
import { runCli } from './run.js';

runCli(process.argv.slice(2), {
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
  stdin: readStdin,
  stdinIsTTY: !!process.stdin.isTTY,
}).then(
  (code) => { process.exitCode = code; },
  (e: unknown) => {
    process.stderr.write(`p2pcheck: internal error: ${(e instanceof Error ? e.message : String(e)).split('\n')[0]}\n`);
    process.exitCode = 3;
  },
);
