/**
 * Splitting an mbox is a few lines, so it is done here rather than with a library: a mail starts
 * at an mbox "From " line ("From <sender> <asctime date>", as mboxrd, mboxo and git format-patch
 * write it), and body lines quoted as ">From " (mboxrd) lose one ">".
 */

const SEPARATOR = /^From \S+ +\w{3} \w{3} +\d{1,2} \d\d:\d\d:\d\d \d{4}/;

export interface RawMail {
  bytes: Buffer;
  /** 1-based line of the mail's first line in the input. */
  firstLine: number;
}

export function startsWithMboxSeparator(head: string): boolean {
  return SEPARATOR.test(head);
}

/** Splits an mbox held as bytes. Byte offsets are kept so that line numbers stay exact. */
export function splitMbox(bytes: Buffer): RawMail[] {
  const text = bytes.toString('latin1'); // one char per byte: offsets and lines stay exact
  const mails: RawMail[] = [];
  let start = -1;
  let startLine = 0;
  let line = 1;
  let offset = 0;
  while (offset < text.length) {
    const end = text.indexOf('\n', offset);
    const next = end < 0 ? text.length : end + 1;
    if (text.startsWith('From ', offset) && SEPARATOR.test(text.slice(offset, Math.min(next, offset + 200)))) {
      if (start >= 0) mails.push(mailOf(text, start, offset, startLine));
      start = next;
      startLine = line + 1;
    }
    offset = next;
    line++;
  }
  if (start >= 0) mails.push(mailOf(text, start, text.length, startLine));
  return mails;
}

function mailOf(text: string, start: number, end: number, firstLine: number): RawMail {
  const body = text.slice(start, end).replace(/^>(>*From )/gm, '$1');
  return { bytes: Buffer.from(body, 'latin1'), firstLine };
}

export interface StreamedMail extends RawMail {
  /** Set, with the mail's size, when the mail was larger than the limit: its bytes were not kept. */
  tooLarge?: number;
}

const LF = 0x0a;
const FROM = Buffer.from('From ', 'latin1');

/**
 * splitMbox for an mbox read in chunks: push() the chunks as they come, end() after the last one;
 * each returns the mails completed so far, exactly as splitMbox gives them for the whole text.
 * Only the mail being read is held, and not even that beyond `maxBytes`.
 */
export class MboxSplitter {
  /** The current line's bytes, when a chunk ended inside it. */
  private partial: Buffer[] = [];
  private parts: Buffer[] = [];
  private size = 0;
  /** A mail has started (the first separator was seen). */
  private inMail = false;
  private firstLine = 0;
  private line = 1;

  constructor(private readonly maxBytes = Infinity) {}

  push(chunk: Buffer): StreamedMail[] {
    const out: StreamedMail[] = [];
    let pos = 0;
    if (this.partial.length > 0) {
      const end = chunk.indexOf(LF);
      if (end < 0) {
        this.partial.push(chunk);
        return out;
      }
      this.partial.push(chunk.subarray(0, end + 1));
      const line = Buffer.concat(this.partial);
      this.partial = [];
      if (!this.separatorAt(line, 0, line.length, out)) this.add(line);
      this.line++;
      pos = end + 1;
    }
    // whole lines are added as spans of the chunk, cut only where a separator stands
    let span = pos;
    for (let end = chunk.indexOf(LF, pos); end >= 0; end = chunk.indexOf(LF, pos)) {
      if (chunk[pos] === FROM[0]) {
        const before = chunk.subarray(span, pos);
        if (this.separatorAt(chunk, pos, end + 1, out, before)) span = end + 1;
      }
      this.line++;
      pos = end + 1;
    }
    this.add(chunk.subarray(span, pos));
    if (pos < chunk.length) this.partial.push(chunk.subarray(pos));
    return out;
  }

  end(): StreamedMail[] {
    const out: StreamedMail[] = [];
    if (this.partial.length > 0) {
      const line = Buffer.concat(this.partial);
      this.partial = [];
      if (!this.separatorAt(line, 0, line.length, out)) this.add(line);
      this.line++;
    }
    if (this.inMail) out.push(this.mail());
    this.inMail = false;
    return out;
  }

  /** When bytes[start, end) is a separator line: ends the mail being read (after `before`) and starts the next. */
  private separatorAt(bytes: Buffer, start: number, end: number, out: StreamedMail[], before?: Buffer): boolean {
    if (end - start < 5 || bytes.compare(FROM, 0, 5, start, start + 5) !== 0) return false;
    if (!SEPARATOR.test(bytes.toString('latin1', start, Math.min(end, start + 200)))) return false;
    if (before) this.add(before);
    if (this.inMail) out.push(this.mail());
    this.inMail = true;
    this.firstLine = this.line + 1;
    return true;
  }

  private add(bytes: Buffer): void {
    if (!this.inMail || bytes.length === 0) return;
    this.size += bytes.length;
    if (this.size <= this.maxBytes) this.parts.push(bytes);
    else this.parts = [];
  }

  private mail(): StreamedMail {
    const { size, firstLine } = this;
    const parts = this.parts;
    this.parts = [];
    this.size = 0;
    if (size > this.maxBytes) return { bytes: Buffer.alloc(0), firstLine, tooLarge: size };
    const text = Buffer.concat(parts, size).toString('latin1').replace(/^>(>*From )/gm, '$1');
    return { bytes: Buffer.from(text, 'latin1'), firstLine };
  }
}
