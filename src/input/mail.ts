import PostalMime from 'postal-mime';

/** A decoded mail: its headers and every text part that may carry a diff. */
export interface DecodedMail {
  subject: string;
  messageId?: string;
  inReplyTo?: string;
  references?: string[];
  from?: string;
  to?: string[];
  cc?: string[];
  bodies: MailBody[];
}

export interface MailBody {
  /** Decoded text, LF line ends. */
  text: string;
  /** 0-based line of `text` → 1-based line of the raw mail. */
  rawLineOf: (index: number) => number;
}

const PATCH_ATTACHMENT = /^text\/(x-patch|x-diff|plain|x-c|x-csrc)$/;

/** Decodes one mail (MIME, quoted-printable, base64, charsets) with postal-mime. */
export async function decodeMail(bytes: Buffer): Promise<DecodedMail> {
  const email = await PostalMime.parse(bytes, { attachmentEncoding: 'arraybuffer' });
  const rawLines = bytes.toString('utf8').split('\n').map((l) => l.replace(/\r$/, ''));
  const texts: string[] = [];
  if (email.text) texts.push(email.text);
  for (const part of email.attachments) {
    if (!PATCH_ATTACHMENT.test(part.mimeType) || typeof part.content === 'string') continue;
    texts.push(new TextDecoder('utf-8').decode(part.content));
  }
  const bodyStart = rawLines.indexOf('') + 1;
  return {
    subject: email.subject ?? '',
    messageId: email.messageId,
    inReplyTo: email.inReplyTo,
    references: email.references?.split(/\s+/).filter(Boolean),
    from: email.from?.address ? formatAddress(email.from) : undefined,
    to: email.to?.map(formatAddress),
    cc: email.cc?.map(formatAddress),
    bodies: texts.map((raw) => {
      const text = raw.replace(/\r\n?/g, '\n');
      return { text, rawLineOf: alignLines(text.split('\n'), rawLines, bodyStart) };
    }),
  };
}

function formatAddress(a: { name?: string; address?: string }): string {
  return a.name ? `${a.name} <${a.address ?? ''}>` : a.address ?? '';
}

/**
 * Maps decoded lines back to raw mail lines. A plain 7bit/8bit part aligns line for line; a
 * quoted-printable line may span several raw lines joined by soft breaks; base64 has no line
 * correspondence, so its lines fall back to the nearest raw line already aligned.
 */
function alignLines(decoded: string[], raw: string[], start: number): (index: number) => number {
  const map = new Int32Array(decoded.length);
  let cursor = start;
  for (let k = 0; k < decoded.length; k++) {
    const line = decoded[k]!;
    const here = matchAt(line, raw, cursor);
    if (here > 0) {
      map[k] = cursor;
      cursor += here;
      continue;
    }
    const found = line.length >= 8 ? resync(line, raw, cursor) : -1;
    if (found >= 0) {
      map[k] = found;
      cursor = found + matchAt(line, raw, found);
    } else {
      map[k] = Math.min(cursor, raw.length - 1);
    }
  }
  return (index) => (map[Math.min(Math.max(index, 0), map.length - 1)] ?? 0) + 1;
}

/** How many raw lines starting at `at` make up `line` (0 when they do not). */
function matchAt(line: string, raw: string[], at: number): number {
  const first = raw[at];
  if (first === undefined) return 0;
  if (first === line) return 1;
  if (!first.includes('=')) return 0;
  let joined = '';
  let n = 0;
  for (let j = at; j < raw.length && n < 64; j++) {
    const part = raw[j]!;
    n++;
    if (part.endsWith('=')) {
      joined += part.slice(0, -1);
      continue;
    }
    joined += part;
    break;
  }
  return decodeQuotedPrintable(joined) === line ? n : 0;
}

function resync(line: string, raw: string[], from: number): number {
  for (let j = from; j < raw.length && j < from + 400; j++) if (raw[j] === line) return j;
  return -1;
}

function decodeQuotedPrintable(s: string): string {
  if (!s.includes('=')) return s;
  const bytes: number[] = [];
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x3d && /^[0-9A-Fa-f]{2}$/.test(s.slice(i + 1, i + 3))) {
      bytes.push(parseInt(s.slice(i + 1, i + 3), 16));
      i += 2;
    } else if (c < 0x80) {
      bytes.push(c);
    } else {
      bytes.push(...Buffer.from(s[i]!, 'utf8'));
    }
  }
  return Buffer.from(bytes).toString('utf8');
}
