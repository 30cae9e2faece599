/**
 * What a mail says of the kernel it is written against (spec, global trap 4, first source):
 * `base-commit:` trailers (resolved to a release when a git repository knows the commit), "Based
 * on v6.8" / "against nvme-6.11" / "on top of linux-next" lines, and subject tags
 * (`[PATCH for-6.8]`, `[PATCH v3 nvme-6.11 2/5]`, `[PATCH 6.1.y]`, `[PATCH rdma-next]`). The Date
 * header is read by kernel-era.ts as an upper bound.
 *
 * A series shares what its cover letter says: b4 and `git format-patch --base` put `base-commit:`
 * in the cover letter only, and the patches reply to it.
 */
import type { Patch } from '../input/patch-model.js';
import { dateBound, formatVersion, nextVersion, newestReleaseAt, type EraClaim, type Version } from './kernel-era.js';

/** Turns a base commit id into the release it is based on (`git describe`), when a repository knows it. */
export type BaseResolver = (commit: string) => { version: Version; name: string } | undefined;

/** The mail's own statements about its base, strongest first. */
export function mailClaims(patch: Pick<Patch, 'subject' | 'description' | 'date'>, resolve?: BaseResolver): EraClaim[] {
  const date = mailDate(patch.date);
  const claims: EraClaim[] = [];
  const text = patch.description ?? '';
  for (const m of text.matchAll(/^base-commit:\s*([0-9a-f]{7,40})\s*$/gim)) {
    const base = resolve?.(m[1]!);
    if (base) claims.push(exact(base.version, `base-commit ${m[1]!.slice(0, 12)} (${base.name})`, true));
  }
  const stated = statedBases(text, date);
  if (stated.length) {
    // rebases move forward: the newest base a mail names is the one it is on now
    const newest = stated.reduce((a, b) => ((b.min ?? 0) > (a.min ?? 0) ? b : a));
    claims.push(newest);
  }
  claims.push(...subjectClaims(patch.subject, date));
  return claims;
}

export function mailDate(header: string | undefined): Date | undefined {
  if (!header) return undefined;
  const t = Date.parse(header);
  return Number.isNaN(t) ? undefined : new Date(t);
}

function exact(v: Version, what: string, sure: boolean): EraClaim {
  return { min: v, below: nextVersion(v), source: 'mail', sure, evidence: [what] };
}

/** A kernel release number as people write it (3.x to 9.x), not newer than the mail's date allows. */
function plausible(major: number, minor: number, date: Date | undefined): Version | undefined {
  if (major < 3 || major > 9 || minor > 30) return undefined;
  const v = major * 1000 + minor;
  const bound = date ? dateBound(date) : undefined;
  return bound !== undefined && v > bound ? undefined : v;
}

const TRIGGER = /\b(?:(?:re)?based|applies|applied|built|sits|goes|apply)\s+(?:cleanly\s+)?(?:on\s+top\s+of|on|against|upon|to)\s+|\bagainst\s+|\bon\s+top\s+of\s+/gi;
const TREE_VERSION = /^(?:[a-z][\w.]*-)(\d+)\.(\d+)(?:-rc\d+)?(?:\/[\w.-]+)?[.,:;)]*$/i;
const RELEASE = /^(v|linux-|)(\d+)\.(\d+)(?:\.\d+|\.y)?(-rc\d+)?[.,:;)]*$/i;
const NEXT = /^(?:linux-next|[a-z][\w]*-next|for-next|next-\d{8})(?:\/[\w.-]+)?[.,:;)]*$/i;

/** "Based on v6.8", "against nvme-6.11", "on top of v6.9-rc1", "applies to linux-next" in the commit message or notes. */
function statedBases(text: string, date: Date | undefined): EraClaim[] {
  const claims: EraClaim[] = [];
  for (const line of text.split('\n')) {
    if (/^\s*>/.test(line)) continue; // quoted from another mail
    for (const m of line.matchAll(TRIGGER)) {
      const tail = line.slice(m.index! + m[0].length).replace(/^["'`(]+/, '');
      // a bare "6.8" counts after "based on" / "on top of", not after a lone "against" ("guards against 4.2 GB")
      const bare = !/^against\s+$/i.test(m[0]);
      const claim = baseIn(tail, date, `'${(m[0] + tail).trim().slice(0, 60)}' in the mail`, bare);
      if (claim) claims.push(claim);
    }
  }
  return claims;
}

/** The base a phrase's tail names: its first word may be a bare release ("6.8-rc1"); later words need a v, a tree prefix or "Linux". */
function baseIn(tail: string, date: Date | undefined, what: string, bare: boolean): EraClaim | undefined {
  const words = tail.split(/\s+/).filter(Boolean).slice(0, 8);
  for (const [i, raw] of words.entries()) {
    const word = raw.replace(/^(?:the|Linus'?s?|mainline|upstream)$/i, '');
    if (!word) continue;
    const tree = TREE_VERSION.exec(word);
    if (tree) {
      const v = plausible(Number(tree[1]), Number(tree[2]), date);
      if (v !== undefined) return exact(v, what, true);
    }
    const release = RELEASE.exec(word);
    const named = release && (release[1] || release[4] || (bare && i === 0) || /^(linux|kernel)$/i.test(words[i - 1] ?? ''));
    if (release && named) {
      const v = plausible(Number(release[2]), Number(release[3]), date);
      if (v !== undefined) return exact(v, what, true);
    }
    if (NEXT.test(word)) return nextTree(date, what);
    if (/[.;:]$/.test(raw)) break; // the sentence ends
  }
  return undefined;
}

/** A -next tree holds at least everything released by the mail's date. */
function nextTree(date: Date | undefined, what: string): EraClaim | undefined {
  const newest = date ? newestReleaseAt(date) : undefined;
  if (newest === undefined) return undefined;
  return { min: newest, source: 'mail', sure: false, evidence: [`${what}, a -next tree after ${formatVersion(newest)}`] };
}

/** `[PATCH for-6.8]`, `[PATCH v3 nvme-6.11 2/5]`, `[PATCH 6.1.y]`, `[PATCH 5.15 1/3]`, `[PATCH rdma-next]`. */
export function subjectClaims(subject: string | undefined, date: Date | undefined): EraClaim[] {
  const tags = [...(subject ?? '').matchAll(/\[([^\]]*)\]/g)].flatMap((m) => m[1]!.split(/[\s,]+/)).filter(Boolean);
  if (!tags.some((t) => /^(PATCH|RFC)/i.test(t))) return [];
  for (const tag of tags) {
    const tree = TREE_VERSION.exec(tag);
    const release = /^(\d+)\.(\d+)(?:\.\d+|\.y)?(?:-rc\d+)?$/.exec(tag);
    const found = tree ?? release;
    if (found) {
      const v = plausible(Number(found[1]), Number(found[2]), date);
      if (v !== undefined) return [exact(v, `subject tag [${tag}]`, false)];
    }
    if (NEXT.test(tag) || tag === '-next') {
      const claim = nextTree(date, `subject tag [${tag}]`);
      return claim ? [claim] : [];
    }
  }
  return [];
}

/** "n/N" with N > 1: one mail of a series (its other mails may define what this one uses). */
export function inSeries(subject: string | undefined): boolean {
  const m = /\[[^\]]*\b(\d+)\/(\d+)\b[^\]]*\]/.exec(subject ?? '');
  return !!m && Number(m[2]) > 1;
}

/**
 * Identifiers the added lines define: `#define X`, a function or prototype at column 0, a struct,
 * union or enum, its enum members, `EXPORT_SYMBOL(X)`. Such identifiers never prove an era.
 */
export function definedIdentifiers(added: readonly string[]): Set<string> {
  const defined = new Set<string>();
  let inEnum = false;
  for (const line of added) {
    const define = /^\s*#\s*define\s+(\w+)/.exec(line);
    if (define) defined.add(define[1]!);
    const tag = /^(?:typedef\s+)?(?:struct|union|enum)\s+(\w+)\s*\{/.exec(line);
    if (tag) defined.add(tag[1]!);
    const exported = /^EXPORT_SYMBOL\w*\((\w+)/.exec(line);
    if (exported) defined.add(exported[1]!);
    const fn = /^(?!(?:if|for|while|switch|return)\b)[A-Za-z_][\w\s*]*?\b(\w+)\s*\(/.exec(line);
    if (fn && !/^\s/.test(line)) defined.add(fn[1]!);
    if (inEnum) {
      if (/^\s*\}/.test(line)) inEnum = false;
      else {
        const member = /^\s*(\w+)\s*(?:=[^=]|,|$)/.exec(line);
        if (member) defined.add(member[1]!);
      }
    }
    if (/\benum\b[^;(]*\{\s*$/.test(line)) inEnum = true;
  }
  return defined;
}
