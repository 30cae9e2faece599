import type { DiffLine, Patch } from '../input/patch-model.js';
import { targetPath } from '../input/patch-model.js';
import type { Finding } from '../rules/rule.js';

/** Lines of the patch quoted before a flagged line. */
const CONTEXT_BEFORE = 3;

/**
 * Review replies as kernel reviewers write them: one mail per patch with findings, threaded to
 * it, quoting only the hunk lines that matter with `> `, each finding's text under its lines.
 * The mails form an mbox that `git send-email` and mail clients take. A clean patch gets nothing.
 */
export function formatReply(patches: readonly Patch[], findings: readonly Finding[]): string {
  const mails: string[] = [];
  for (const patch of patches) {
    const mine = findings.filter((f) => f.input === patch.input && f.mail === patch.mailIndex);
    if (mine.length) mails.push(replyTo(patch, mine));
  }
  return mails.join('\n');
}

function replyTo(patch: Patch, findings: readonly Finding[]): string {
  const cc = uniqueAddresses([...(patch.to ?? []), ...(patch.cc ?? [])], patch.from);
  const headers = [
    'From p2pcheck Mon Sep 17 00:00:00 2001',
    ...(patch.from ? [`To: ${patch.from}`] : []),
    ...(cc.length ? [`Cc: ${cc.join(',\n    ')}`] : []),
    `Subject: ${/^re:/i.test(patch.subject) ? patch.subject : `Re: ${patch.subject || patch.input}`}`,
    ...(patch.messageId ? [`In-Reply-To: ${patch.messageId}`, `References: ${[...(patch.references ?? []), patch.messageId].join(' ')}`] : []),
    'Content-Type: text/plain; charset=utf-8',
  ];
  const author = patch.from ? `${patch.from.replace(/\s*<.*>$/, '')} wrote:` : 'The patch says:';
  const body = [`On ${patch.date ?? patch.subject ?? patch.input}, ${author}`, ''];
  for (const f of [...findings].sort((a, b) => a.patchLine - b.patchLine)) body.push(...quoteFor(patch, f), '', ...comment(f), '');
  body.push('-- ', 'p2pcheck');
  return `${headers.join('\n')}\n\n${body.join('\n')}\n`;
}

/** `> diff --git`, `> @@ ... @@`, then the few lines before the flagged one and the flagged one. */
function quoteFor(patch: Patch, f: Finding): string[] {
  for (const file of patch.files) {
    if (targetPath(file) !== f.path) continue;
    for (const hunk of file.hunks) {
      const at = hunk.lines.findIndex((l) => l.patchLine === f.patchLine);
      if (at < 0) continue;
      const shown = hunk.lines.slice(Math.max(0, at - CONTEXT_BEFORE), at + 1);
      return [`> diff --git a/${file.oldPath} b/${file.newPath}`, `> ${hunk.header}`, ...shown.map(quoteLine)];
    }
  }
  return [`> ${f.path}:${f.line}`];
}

/** Addresses once each, without the patch author who is already in To. */
function uniqueAddresses(list: readonly string[], author?: string): string[] {
  const key = (a: string) => (/<([^>]+)>/.exec(a)?.[1] ?? a).trim().toLowerCase();
  const seen = new Set(author ? [key(author)] : []);
  return list.filter((a) => !seen.has(key(a)) && !!seen.add(key(a)));
}

function quoteLine(l: DiffLine): string {
  return `> ${l.kind}${l.text}`;
}

function comment(f: Finding): string[] {
  return [
    `${f.message}`,
    '',
    `${f.fix}`,
    '',
    ...(f.era ? [`(This assumes ${f.era}.)`, ''] : []),
    ...f.references.slice(0, 2).map((r) => `Link: ${r}`),
    `[p2pcheck ${f.rule} ${f.slug}]`,
  ];
}
