import type { MailBody } from './mail.js';

/**
 * The body of a plain mail (one text/plain part in 7bit, 8bit or binary, in an ASCII-compatible
 * charset) read without the mail library, as decodeMail reads it; undefined for anything else.
 * The pre-filter uses it for mails it has already judged unable to give a finding: their diff is
 * still read (for the problems it may have), their headers are not needed.
 */
export function plainMailBody(bytes: Buffer): MailBody | undefined {
  const headerEnd = endOfHeaders(bytes);
  const head = bytes.subarray(0, headerEnd).toString('latin1');
  const lines = head.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/);
  const values = (name: string) => lines.filter((l) => l.toLowerCase().startsWith(`${name}:`)).map((l) => l.slice(name.length + 1).trim().toLowerCase());
  const types = values('content-type');
  const encodings = values('content-transfer-encoding');
  if (types.length > 1 || encodings.length > 1 || lines.some((l) => /^content-[\w-]+\s+:/i.test(l))) return undefined;
  const type = types[0] ?? 'text/plain';
  const encoding = encodings[0] ?? '7bit';
  if (!/^text\/plain\b/.test(type) || !/^(7bit|8bit|binary)$/.test(encoding) || type.includes('*') || type.includes('=?')) return undefined;
  const charset = /charset\s*=\s*"?([^";\s]+)/.exec(type)?.[1] ?? 'utf-8';
  if (!/^(utf-8|utf8|us-ascii|iso-8859-1|latin1)$/.test(charset)) return undefined;
  const text = new TextDecoder(charset).decode(bytes.subarray(headerEnd)).replace(/\r\n/g, '\n');
  const firstBodyLine = head.split('\n').length;
  return { text, rawLineOf: (index) => firstBodyLine + index };
}

/** Offset just past the blank line that ends the headers (the whole mail when there is none), as decodeMail finds it. */
function endOfHeaders(bytes: Buffer): number {
  const lf = bytes.indexOf('\n\n');
  const crlf = bytes.indexOf('\r\n\r\n');
  if (lf < 0 && crlf < 0) return bytes.length;
  return lf >= 0 && (crlf < 0 || lf < crlf) ? lf + 2 : crlf + 4;
}

/**
 * The headers the era reader needs (subject tags, Date, Message-Id and the thread's ids, for a
 * series' cover letter) from a plain mail's header block, without the mail library: ASCII
 * headers only; an encoded word stays as written.
 */
export function plainMailHeaders(bytes: Buffer): { subject: string; date?: string; messageId?: string; inReplyTo?: string; references?: string[] } {
  const head = bytes.subarray(0, endOfHeaders(bytes)).toString('latin1');
  const lines = head.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/);
  const value = (name: string) => lines.find((l) => l.toLowerCase().startsWith(`${name}:`))?.slice(name.length + 1).trim();
  const ids = (text: string | undefined) => text?.match(/<[^<>\s]+>/g) ?? undefined;
  return {
    subject: value('subject') ?? '',
    date: value('date'),
    messageId: ids(value('message-id'))?.[0],
    inReplyTo: ids(value('in-reply-to'))?.[0],
    references: ids(value('references')),
  };
}
