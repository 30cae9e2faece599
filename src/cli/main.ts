#!/usr/bin/env node
import { readStdin, stdinStream } from './collect-inputs.js';
import { runCli } from './run.js';

/** A writer that goes quiet once its stream fails, as when `p2pcheck ... | head` closes the pipe (EPIPE). */
function quietOnError(stream: NodeJS.WriteStream): (text: string) => void {
  let failed = false;
  stream.on('error', () => { failed = true; });
  return (text) => { if (!failed) stream.write(text); };
}

// the first Ctrl-C stops a directory scan with what it found; a second one ends the process at once
const interrupt = new AbortController();
process.once('SIGINT', () => interrupt.abort());

runCli(process.argv.slice(2), {
  stdout: quietOnError(process.stdout),
  stderr: quietOnError(process.stderr),
  stdin: readStdin,
  stdinStream,
  stdinIsTTY: !!process.stdin.isTTY,
  stderrIsTTY: !!process.stderr.isTTY,
  signal: interrupt.signal,
}).then(
  (code) => { process.exitCode = code; },
  (e: unknown) => {
    process.stderr.write(`p2pcheck: internal error: ${(e instanceof Error ? e.message : String(e)).split('\n')[0]}\n`);
    process.exitCode = 3;
  },
);
