import { readMail, readInput, InputError, DEFAULT_MAX_BYTES, NUL_SCAN } from './read-input.js';
import { startsWithMboxSeparator, MboxSplitter } from './mbox.js';
import type { Patch } from './patch-model.js';

/**
 * Inputs of any size in bounded memory. An mbox is split as it is read and handed on mail by mail
 * (so a list archive of many gigabytes never becomes one string); gzip input (lore's `t.mbox.gz`)
 * is decompressed as a stream; anything else is a single mail, diff or C file, read whole up to
 * `maxBytes` as readInput reads it. In an mbox `maxBytes` bounds each mail, not the archive.
 */

export interface StreamOptions {
  maxBytes?: number;
  /** See ReadOptions.cannotReport. */
  cannotReport?: (rawText: string) => boolean;
}

/** What is read before deciding what the input is (readInput's detection looks at as much). */
const HEAD_BYTES = 1024 * 1024;
const GZIP_MAGIC = [0x1f, 0x8b];

/**
 * The patches of one input, a group at a time: one group per mail of an mbox, one group for
 * anything else. Errors are InputErrors (one line, naming the input); an error in one mail of an
 * mbox is yielded as `error` and the mails after it are still read.
 */
export async function* readInputStream(input: string, source: AsyncIterable<Buffer> | Iterable<Buffer>, options: StreamOptions = {}): AsyncGenerator<{ patches: Patch[]; error?: string }> {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  let reader = new ChunkReader(chunksOf(source));
  let head = await reader.peek(HEAD_BYTES);
  if (head.length >= 2 && head[0] === GZIP_MAGIC[0] && head[1] === GZIP_MAGIC[1]) {
    reader = new ChunkReader(gunzip(input, reader.rest()));
    head = await reader.peek(HEAD_BYTES);
  }
  if (head.length > 0 && !head.subarray(0, NUL_SCAN).includes(0) && startsWithMboxSeparator(head.subarray(0, HEAD_BYTES).toString('latin1'))) {
    const splitter = new MboxSplitter(maxBytes);
    let mailIndex = 0;
    const mails = async function* () {
      for await (const chunk of reader.rest()) yield* splitter.push(chunk);
      yield* splitter.end();
    };
    for await (const raw of mails()) {
      const index = mailIndex++;
      if (raw.tooLarge !== undefined) {
        yield { patches: [], error: `${input}: mail ${index + 1} (line ${raw.firstLine}) too large (${raw.tooLarge} bytes, limit ${maxBytes}; see --max-bytes)` };
        continue;
      }
      yield { patches: await readMail(input, raw, index, options) };
    }
    return;
  }
  // one mail, diff or C file: whole, as readInput reads it (a larger one is counted, not kept)
  const parts: Buffer[] = [];
  let total = 0;
  for await (const chunk of reader.rest()) {
    total += chunk.length;
    if (total <= maxBytes) parts.push(chunk);
    else parts.length = 0;
  }
  if (total > maxBytes) throw new InputError(input, `too large (${total} bytes, limit ${maxBytes}; see --max-bytes)`);
  // nothing to check, as checkpatch.pl says of an empty patch (an empty `git diff | p2pcheck -`)
  if (total === 0) return;
  yield { patches: await readInput(input, Buffer.concat(parts, total), { maxBytes, cannotReport: options.cannotReport }) };
}

/** A stream of chunks that can be peeked at the front and then read from the start. */
class ChunkReader {
  private readonly buffered: Buffer[] = [];
  private bufferedBytes = 0;
  private ended = false;

  constructor(private readonly it: AsyncIterator<Buffer>) {}

  /** At least `n` bytes from the front (fewer at the end of the stream), without consuming them. */
  async peek(n: number): Promise<Buffer> {
    while (this.bufferedBytes < n && !this.ended) {
      const next = await this.it.next();
      if (next.done) { this.ended = true; break; }
      const chunk = Buffer.isBuffer(next.value) ? next.value : Buffer.from(next.value as Uint8Array);
      this.buffered.push(chunk);
      this.bufferedBytes += chunk.length;
    }
    return Buffer.concat(this.buffered, this.bufferedBytes);
  }

  /** Everything, from the first byte: the peeked chunks, then the rest of the stream. */
  async *rest(): AsyncGenerator<Buffer> {
    while (this.buffered.length > 0) {
      const chunk = this.buffered.shift()!;
      this.bufferedBytes -= chunk.length;
      yield chunk;
    }
    if (this.ended) return;
    for (;;) {
      const next = await this.it.next();
      if (next.done) return;
      yield Buffer.isBuffer(next.value) ? next.value : Buffer.from(next.value as Uint8Array);
    }
  }
}

/** Decompresses a gzip stream (several members, as `cat a.gz b.gz`, included); a corrupt one is an InputError. */
async function* gunzip(input: string, compressed: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  // node:zlib only for a .gz (issue 11: a plain patch's run does not load it)
  const { createGunzip } = await import('node:zlib');
  const z = createGunzip();
  const feed = (async () => {
    try {
      for await (const chunk of compressed) {
        if (!z.write(chunk)) await new Promise<void>((resolve, reject) => {
          const done = () => { z.off('error', failed); resolve(); };
          const failed = (e: Error) => { z.off('drain', done); reject(e); };
          z.once('drain', done);
          z.once('error', failed);
        });
      }
      z.end();
    } catch (e) {
      z.destroy(e as Error);
    }
  })();
  try {
    for await (const chunk of z) yield chunk as Buffer;
  } catch (e) {
    throw new InputError(input, `gzip: ${(e instanceof Error ? e.message : String(e)).split('\n')[0]}`);
  } finally {
    z.destroy();
    await feed.catch(() => undefined);
  }
}

async function* chunksOf(source: AsyncIterable<Buffer> | Iterable<Buffer>): AsyncGenerator<Buffer> {
  yield* source;
}
