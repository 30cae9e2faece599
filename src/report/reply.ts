import { randomBytes } from 'node:crypto';
import type { DiffLine, FileDiff, Patch } from '../input/patch-model.js';
import { targetPath } from '../input/patch-model.js';
import type { Finding } from '../rules/rule.js';

/** Lines of the patch quoted before a flagged line. */
const CONTEXT_BEFORE = 3;
/** Prose is wrapped here (quoted code is not), as kernel mail etiquette asks. */
export const WRAP = 75;

export interface ReplyOptions {
  /** The reviewer: `Name <address>` (from --from, else git's user.name and user.email). */
  from: string;
  /** Reply to patches whose findings are all informational too (--reply-info). */
  replyInfo?: boolean;
  /** The sending time; now by default (tests fix it). */
  date?: Date;
}

/** One review reply, ready for git send-email. */
export interface ReplyMail {
  /** For a file name: the patch's subject. */
  subject: string;
  /** The whole message (RFC 5322 headers, blank line, body), without an mbox `From ` line. */
  message: string;
}

export interface Replies {
  mails: ReplyMail[];
  /** Patches with findings that get no reply, and why (one line each, for standard error). */
  skipped: string[];
}

/**
 * Review replies as kernel reviewers write them: one mail per patch with findings, threaded to it
 * (In-Reply-To/References), To the author and Cc everyone the patch went to (the lists included),
 * quoting the diff and hunk header and the few lines before each flagged line with `> `, each
 * finding's text under its lines. A clean patch gets nothing; so does a patch whose findings are
 * all informational (unless `replyInfo`), an input without mail headers (nobody to reply to), and
 * a mail without To/Cc (the reply would go off-list), the last two with a word in `skipped`.
 */
export function replyMails(patches: readonly Patch[], findings: readonly Finding[], options: ReplyOptions): Replies {
  const mails: ReplyMail[] = [];
  const skipped: string[] = [];
  const date = options.date ?? new Date();
  for (const patch of patches) {
    const mine = findings.filter((f) => f.input === patch.input && f.mail === patch.mailIndex && (options.replyInfo || f.severity !== 'info'));
    if (mine.length === 0) continue;
    const name = patch.subject ? `${patch.input}: ${patch.subject}` : patch.input;
    if (patch.kind !== 'mail' || !patch.from) { skipped.push(`${name}: not a mail (no From header), so there is nobody to reply to; no reply written`); continue; }
    if (!(patch.to?.length || patch.cc?.length)) {
      skipped.push(`${name}: the mail has no To or Cc (as b4 am output has none), so a reply would go off-list; no reply written (check the mail as the list sent it, e.g. b4 mbox)`);
      continue;
    }
    mails.push({ subject: patch.subject, message: replyTo(patch, mine, options.from, new Date(date.getTime() + mails.length * 1000)) });
  }
  return { mails, skipped };
}

/** Several replies as one mbox (the `From ` separator of git format-patch --stdout, mboxrd quoting). */
export function asMbox(mails: readonly ReplyMail[]): string {
  return mails.map((m) => `From p2pcheck Mon Sep 17 00:00:00 2001\n${m.message.replace(/^(>*From )/gm, '>$1')}`).join('\n');
}

/** `0001-re-nvme-rdma-ensure-dma-support.eml`, numbered and named as git format-patch -o names its files. */
export function replyFileName(index: number, mail: ReplyMail): string {
  const slug = `re-${mail.subject.replace(/^\s*(\[[^\]]*\]\s*)*/, '')}`.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 52).replace(/-+$/, '');
  return `${String(index + 1).padStart(4, '0')}-${slug || 'reply'}.eml`;
}

function replyTo(patch: Patch, findings: readonly Finding[], from: string, date: Date): string {
  const cc = uniqueAddresses([...(patch.to ?? []), ...(patch.cc ?? [])], [patch.from!, from]);
  const subject = /^re:/i.test(patch.subject) ? patch.subject : `Re: ${patch.subject}`;
  const headers = [
    `From: ${encodeAddress(from)}`,
    `To: ${encodeAddress(patch.from!)}`,
    ...(cc.length ? [`Cc: ${cc.map(encodeAddress).join(',\n    ')}`] : []),
    `Subject: ${encodeWords(subject)}`,
    `Date: ${rfc5322Date(date)}`,
    `Message-Id: ${messageId(date, from)}`,
    ...(patch.messageId ? [`In-Reply-To: ${patch.messageId}`, `References: ${[...(patch.references ?? []), patch.messageId].join('\n    ')}`] : []),
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=UTF-8',
    'Content-Transfer-Encoding: 8bit',
  ];
  const author = displayName(patch.from!);
  const attribution = patch.date ? `On ${patch.date}, ${author} wrote:` : `${author} wrote:`;
  const body = [...(attribution.length <= WRAP ? [attribution] : wrap(attribution)), ''];
  for (const f of [...findings].sort((a, b) => a.patchLine - b.patchLine)) body.push(...quoteFor(patch, f), '', ...comment(f), '');
  body.push('-- ', 'p2pcheck');
  return `${headers.join('\n')}\n\n${body.join('\n')}\n`;
}

/** `> diff --git`, `> @@ ... @@`, then the few lines before the flagged one and the flagged one, as the patch has them. */
function quoteFor(patch: Patch, f: Finding): string[] {
  for (const file of patch.files) {
    if (targetPath(file) !== f.path) continue;
    for (const hunk of file.hunks) {
      const at = hunk.lines.findIndex((l) => l.patchLine === f.patchLine);
      if (at < 0) continue;
      const shown = hunk.lines.slice(Math.max(0, at - CONTEXT_BEFORE), at + 1);
      return [`> ${diffGitLine(file)}`, `> ${hunk.header}`, ...shown.map(quoteLine)];
    }
  }
  return [`> ${f.path}:${f.line}`];
}

/** git's own line: a new file is `a/path b/path`, never `a//dev/null`. */
function diffGitLine(file: FileDiff): string {
  const oldPath = file.oldPath === '/dev/null' ? file.newPath : file.oldPath;
  const newPath = file.newPath === '/dev/null' ? file.oldPath : file.newPath;
  return `diff --git a/${oldPath} b/${newPath}`;
}

function quoteLine(l: DiffLine): string {
  const quoted = `> ${l.kind}${l.text}`;
  return /^>\s+$/.test(quoted) ? '>' : quoted; // a blank context line, as mail clients quote it
}

function comment(f: Finding): string[] {
  return [
    ...wrap(f.message),
    '',
    ...wrap(f.fix),
    '',
    ...(f.era ? [...wrap(`(This assumes ${f.era}.)`), ''] : []),
    ...f.references.slice(0, 2).map((r) => `Link: ${r}`),
    `[p2pcheck ${f.rule} ${f.slug}]`,
  ];
}

/** Greedy word wrap at WRAP columns; a word longer than a line (a URL) stands alone. */
export function wrap(text: string, width = WRAP): string[] {
  const out: string[] = [];
  for (const paragraph of text.split('\n')) {
    let line = '';
    for (const word of paragraph.split(/\s+/).filter(Boolean)) {
      if (line && line.length + 1 + word.length > width) { out.push(line); line = word; } else line = line ? `${line} ${word}` : word;
    }
    out.push(line);
  }
  return out;
}

/** Addresses once each, without those already in To or From. */
function uniqueAddresses(list: readonly string[], already: readonly string[]): string[] {
  const seen = new Set(already.map(addressOf));
  return list.filter((a) => addressOf(a) !== '' && !seen.has(addressOf(a)) && !!seen.add(addressOf(a)));
}

function addressOf(a: string): string {
  return (/<([^>]*)>\s*$/.exec(a)?.[1] ?? a).trim().toLowerCase();
}

function displayName(a: string): string {
  const name = /^(.*?)\s*<[^>]*>\s*$/.exec(a)?.[1]?.replace(/^"(.*)"$/, '$1').trim();
  return name || a.replace(/[<>]/g, '').trim();
}

/** `Name <addr>` with the name quoted when it holds specials, and RFC 2047-encoded when not ASCII. */
export function encodeAddress(a: string): string {
  const m = /^(.*?)\s*<([^>]*)>\s*$/.exec(a);
  if (!m) return a.trim();
  const name = m[1]!.replace(/^"(.*)"$/, '$1').trim();
  if (!name) return `<${m[2]}>`;
  // eslint-disable-next-line no-control-regex
  if (/[^\x20-\x7e]/.test(name)) return `${encodeWords(name)} <${m[2]}>`;
  return /[()<>[\]:;@\\,."]/.test(name) ? `"${name.replace(/(["\\])/g, '\\$1')}" <${m[2]}>` : `${name} <${m[2]}>`;
}

/** RFC 2047 Q-encoding for a header value holding non-ASCII characters, as git format-patch writes it. */
export function encodeWords(value: string): string {
  // eslint-disable-next-line no-control-regex
  if (!/[^\x20-\x7e]/.test(value)) return value;
  const words: string[] = [];
  let current = '';
  for (const ch of value) {
    const bytes = Buffer.from(ch, 'utf8');
    const enc = /[A-Za-z0-9!*+\-/]/.test(ch) ? ch : ch === ' ' ? '_' : [...bytes].map((b) => `=${b.toString(16).toUpperCase().padStart(2, '0')}`).join('');
    if (current.length + enc.length > 60) { words.push(current); current = ''; }
    current += enc;
  }
  words.push(current);
  return words.map((w) => `=?UTF-8?q?${w}?=`).join('\n ');
}

/** `Thu, 3 Dec 2026 00:33:30 +0000`. */
export function rfc5322Date(d: Date): string {
  const days = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const p = (n: number) => String(n).padStart(2, '0');
  return `${days[d.getUTCDay()]}, ${d.getUTCDate()} ${months[d.getUTCMonth()]} ${d.getUTCFullYear()} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0000`;
}

function messageId(d: Date, from: string): string {
  const domain = /@([^>\s]+)/.exec(from)?.[1] ?? 'p2pcheck.invalid';
  const stamp = d.toISOString().replace(/\D/g, '').slice(0, 14);
  return `<${stamp}.p2pcheck-${randomBytes(6).toString('hex')}@${domain}>`;
}
