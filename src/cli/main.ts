#!/usr/bin/env node
import { runCli } from './run.js';

/** A writer that goes quiet once its stream fails, as when `p2pcheck ... | head` closes the pipe (EPIPE). */
function quietOnError(stream: NodeJS.WriteStream): (text: string) => void {
  let failed = false;
  stream.on('error', () => { failed = true; });
  return (text) => { if (!failed) stream.write(text); };
}

// `p2pcheck --lsp`: the language server on standard input and output (src/server)
const lsp = process.argv.slice(2).some((a) => a === '--lsp');
if (lsp) void import('../server/server.js').then((server) => server.listenStdio());

// the first Ctrl-C stops the run (a directory scan, the wait for standard input, the next input)
// and prints what was found, with exit code 130; a second one ends the process at once
const interrupt = new AbortController();
process.once('SIGINT', () => interrupt.abort());

/** Standard input, or what arrived of it when Ctrl-C came. */
function readStdinUntilInterrupted(signal: AbortSignal): Promise<Buffer> {
  if (signal.aborted) return Promise.resolve(Buffer.alloc(0));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const done = () => resolve(Buffer.concat(chunks));
    process.stdin.on('data', (chunk: Buffer) => chunks.push(chunk));
    process.stdin.once('end', done);
    process.stdin.once('error', reject);
    signal.addEventListener('abort', () => { done(); process.stdin.destroy(); }, { once: true });
  });
}

/** Standard input as a stream of chunks, ending at Ctrl-C (what arrived by then is kept). */
async function* stdinStreamUntilInterrupted(signal: AbortSignal): AsyncGenerator<Buffer> {
  if (signal.aborted) return;
  const chunks = process.stdin[Symbol.asyncIterator]();
  const aborted = new Promise<'abort'>((resolve) => signal.addEventListener('abort', () => resolve('abort'), { once: true }));
  for (;;) {
    const next = await Promise.race([chunks.next(), aborted]);
    if (next === 'abort') { process.stdin.destroy(); return; }
    if (next.done) return;
    yield next.value as Buffer;
  }
}

if (!lsp) runCli(process.argv.slice(2), {
  stdout: quietOnError(process.stdout),
  stderr: quietOnError(process.stderr),
  stdin: () => readStdinUntilInterrupted(interrupt.signal),
  stdinStream: () => stdinStreamUntilInterrupted(interrupt.signal),
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
