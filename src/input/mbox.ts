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
