import { skipQuoted } from '../c-parse/fragment.js';
import { VERSION_TESTS, migrationTriggers, migrations, type Migration } from '../analysis/catalogue.js';
import { matchesAny } from '../analysis/core-files.js';
import type { Call } from '../analysis/facts.js';
import { dateBound, describeEra, formatVersion, isBefore, newestReleaseAt, parseVersion, surelyAtLeast, type Era, type Version } from '../analysis/kernel-era.js';
import { definedIdentifiers, mailDate } from '../analysis/mail-era.js';
import type { DiffLine } from '../input/patch-model.js';
import type { Rule, RuleContext, RuleReport, RuleSuggestion, Severity } from './rule.js';

/** Spec R19 "must not fire": documentation, tools, and backport/compat trees. */
const NOT_KERNEL_CODE = [/(^|\/)Documentation\//, /(^|\/)tools\//, /(^|\/)compat\//, /(^|\/)backport-include\//];
const LEVELS: Severity[] = ['info', 'warning', 'error'];

export const r19: Rule = {
  meta: {
    id: 'R19',
    slug: 'p2p-api-migration',
    name: 'P2P/DMA API removed or renamed in the target kernel',
    defaultSeverity: 'warning',
    versions: 'per identifier, 5.11 to 7.1 (the "Gone in" column of the migration table); the target is read from the mail',
    summary: 'An added line uses a P2P/DMA identifier (or call shape) that the target kernel no longer has.',
    why: 'Kernel APIs in this area were reshaped every release from 6.16 to 7.1. A patch written against an older tree, or an out-of-tree driver being forward-ported, uses names that no longer exist: usually a build break, sometimes a silent change in meaning (the 4-argument blk_rq_dma_unmap() meant "read REQ_P2PDMA"). Compiler deprecation warnings are ruled out upstream, so the check belongs at the patch level. A rename merged in another tree in the same window needs a fixup only at merge time, so the finding depends on the patch\'s own base, not on mainline.',
    firesWhen: [
      'an added line uses an identifier (or call shape, for the arity changes blk_rq_dma_unmap/4 args and blk_rq_dma_map_iter_next/4 args) from the migration table, in code rather than comments or strings, and the target version of the patch is at or past the "Gone in" version: error when the target is certain (--kernel-version, base-commit, a stated base, the tree), warning when it rests on the Date or a subject tag',
      'the era is unknown, or the patch\'s own base predates the change while mainline already has it at the mail\'s date: info ("will need the rename when merged")',
    ],
    mustNotFire: [
      'removed lines',
      'the patch that performs the removal or rename itself (the old name only in removed lines, or defined by the patch)',
      'compatibility code under LINUX_VERSION_CODE/KERNEL_VERSION() checks or #ifdef on the old symbol, and backport/compat trees (compat/, backport-include/)',
      'Documentation/, changelogs, tools/',
      'a patch whose own base (base-commit, stated base, subject tag, tree) predates the change',
      'a whole file of a tree scanned without a target version (the file is its own base; stable trees keep old names next to backported APIs)',
    ],
    fix: 'Apply the replacement of the migration table for that identifier: renames and dropped arguments are mechanical (quick fix); the others need a decision (e.g. record iter.p2pdma.map for blk_rq_dma_unmap(), convert pci_p2pdma_map_sg() to dma_map_sgtable()).',
    references: [
      { messageId: '20251114-block-with-mmio-v5-2-69d00f73d766@nvidia.com', title: 'block: 6.19 removal of REQ_P2PDMA, BIP_P2P_DMA, blk_dma_unmap()' },
      { messageId: '20250813153153.3260897-5-kbusch@meta.com', title: 'blk-mq: remove REQ_P2PDMA flag (bio, 6.18)' },
      { messageId: '20260112143810.2046599-1-nj.shetty@samsung.com', title: 'blk_rq_dma_map_iter_next() loses its dma_iova_state argument (7.0)' },
      { messageId: '20251217-nvme-phys-types-v3-2-f27fd1608f48@nvidia.com', title: 'types: move phys_vec definition to common header' },
      { messageId: '20260131-dmabuf-revoke-v7-1-463d956bd527@nvidia.com', title: 'dma-buf revoke renames (7.1)' },
      { messageId: '20260316-dma-debug-overlap-v3-3-1dde90a7f08b@nvidia.com', title: 'DMA_ATTR_CPU_CACHE_CLEAN renamed' },
      { messageId: '20250903220312.GA1234784@bhelgaas', title: 'pci_has_p2pmem() made static' },
      { messageId: '20260224100737.GH10607@unreal', title: 'Leon: a rename not in the patch\'s tree is nothing to fix in the patch' },
    ],
    examples: {
      fires: '/* kernel-version: 7.0 */\ndo { } while (blk_rq_dma_map_iter_next(req, dev->dev, &iod->dma_state, iter));',
      quiet: '/* kernel-version: 6.19 */\ndo { } while (blk_rq_dma_map_iter_next(req, dev->dev, &iod->dma_state, iter));',
    },
    triggers: migrationTriggers(),
    checksCoreFiles: true,
  },

  check(context) {
    const path = context.file.path;
    if (matchesAny(path, NOT_KERNEL_CODE)) return [];
    // a file of a tree is its own base: only a target version given by the user makes it old
    if (context.patch.kind === 'c-file' && context.era.source !== 'option') return [];
    const added = context.file.file.hunks.flatMap((h) => h.lines.filter((l) => l.kind === '+').map((l) => l.text));
    const defined = definedIdentifiers(added);
    // kernel style puts a defined function's name at column 0, its type on the line before
    for (const l of added) { const name = /^([A-Za-z_]\w*)\s*\(/.exec(l)?.[1]; if (name) defined.add(name); }
    const removed = context.file.file.hunks.flatMap((h) => h.lines.filter((l) => l.kind === '-').map((l) => blank(l.text, false).code));
    // a revert of the migration says its base has the old API, unless the user or the mail names the target
    const inferred = !['option', 'mail', 'tree'].includes(context.era.source);
    const rows = migrations().filter((m) => !defined.has(m.old) && !m.notIn?.test(path) && !(inferred && undoes(m, removed)));
    if (rows.length === 0) return [];
    const lines = codeLines(context.file.file.hunks.map((h) => h.lines));
    const calls = context.functions.flatMap((fn) => fn.calls.map((call) => ({ fn, call })));
    // the calls of each name, in the same order: a row's call is looked up on every added line
    const callsNamed = new Map<string, typeof calls>();
    for (const c of calls) { const same = callsNamed.get(c.call.name); if (same) same.push(c); else callsNamed.set(c.call.name, [c]); }
    const callsOf = (name: string) => callsNamed.get(name) ?? [];
    const initialized = [...context.file.post.initializers, ...context.functions.flatMap((f) => f.initializers)];
    const reports: RuleReport[] = [];
    // a macro the patch defines is judged at its uses: its #define stands for code only where a use is
    // outside every version guard (a compat macro defined above its `#if LINUX_VERSION_CODE` uses is fine)
    const usesOf = (name: string) => {
      const use = new RegExp(`\\b${name}\\b`);
      return lines.filter((l) => l.diff.kind === '+' && !/^\s*#\s*define\b/.test(l.code) && use.test(l.code));
    };
    const guardedOnly = (uses: readonly CodeLine[], old: string) => uses.length > 0 && uses.every((l) => l.compat.includes(old) || l.compat.includes('*'));
    const stores = new Map<string, Set<DiffLine>>();
    const storedAt = (struct: string, field: string) => {
      let known = stores.get(`${struct}.${field}`);
      if (!known) stores.set(`${struct}.${field}`, known = storesField(context, initialized, struct, field));
      return known;
    };
    for (const line of lines) {
      if (line.diff.kind !== '+') continue;
      const hits: { row: Migration; column: number; call?: Call }[] = [];
      const macro = /^\s*#\s*define\s+([A-Za-z_]\w*)/.exec(line.code)?.[1];
      const uses = macro ? usesOf(macro) : [];
      for (const row of rows) {
        if (line.compat.includes(row.old) || line.compat.includes('*')) continue;
        if (macro && guardedOnly(uses, row.old)) continue;
        if (row.arity !== undefined && !occurrences(line.code, row).length) {
          // the call shape reached through a patch macro (the facts see the expanded call at the use)
          const call = callsOf(row.old).find(({ call }) => !call.wrapper && call.span.lines[0] === line.diff && call.args.length === row.arity)?.call;
          if (call) hits.push({ row, column: Math.max(0, call.span.column - 1), call });
          continue;
        }
        for (const column of occurrences(line.code, row)) {
          if (row.inInitializerOf && !initialized.some((i) => typeKeyIs(i.type, row.inInitializerOf!) && i.fields.some((f) => f.field === row.old && f.span.lines[0] === line.diff)) &&
            !storedAt(row.inInitializerOf, row.old).has(line.diff)) continue;
          if (row.arity !== undefined) {
            const call = callsOf(row.old).find(({ call }) => call.span.lines[0] === line.diff && call.args.length === row.arity)?.call;
            if (!call) continue;
            hits.push({ row, column, call });
          } else hits.push({ row, column });
        }
      }
      if (hits.length === 0) continue;
      const verdict = judge(context, hits.map((h) => h.row));
      if (!verdict) continue;
      const named = [...new Map(hits.map((h) => [h.row.old + (h.row.arity ?? ''), h.row])).values()];
      // one statement split over lines is one finding: later lines of a call already reported are related locations
      const statement = calls.filter(({ call }) => call.span.lines.includes(line.diff)).map(({ call }) => call.span.lines)
        .reduce<DiffLine[] | undefined>((a, b) => (!a || b.length > a.length ? b : a), undefined);
      const earlier = statement && reports.find((r) => r.span.lines[0] !== line.diff && statement.includes(r.span.lines[0]!));
      if (earlier) {
        earlier.message += ' ' + named.map((row) => `${shape(row)} is gone in ${row.goneIn} too: ${row.replacement}.`).join(' ');
        (earlier.related ??= []).push({ span: { lines: [line.diff], column: hits[0]!.column + 1 }, message: named.map(shape).join(', ') });
        delete earlier.suggestion;
        continue;
      }
      reports.push({
        span: { lines: [line.diff], column: hits[0]!.column + 1 },
        severity: verdict.severity,
        era: verdict.era,
        message: named.map(says).join(' ') + verdict.note,
        suggestion: suggest(hits, line.diff),
      });
    }
    return reports;
  },
};

/** The patch removes what replaced the row's identifier: it undoes the migration on a base that still has the old API. */
function undoes(row: Migration, removed: readonly string[]): boolean {
  const successors = [...(row.successors ?? []), ...(row.mechanical && 'rename' in row.mechanical ? [row.mechanical.rename] : [])];
  return successors.some((s) => {
    const pattern = new RegExp(`\\b${s.replace(/\s+/g, '\\s+')}\\b`);
    return removed.some((l) => pattern.test(l));
  });
}

// issue 14 R19 (api2): the removed ops field set by assignment, not only in an initializer
/**
 * First lines of assignments to `field` of an object declared `struct <struct>` (a parameter, a
 * local, or a file-level initialised variable): `ops->flags |= X`, `foo_ops.flags = X`. Keyed by
 * the declared type of the base, never by how it is named.
 */
function storesField(context: RuleContext, initialized: readonly { name: string; type: string }[], struct: string, field: string): Set<DiffLine> {
  const out = new Set<DiffLine>();
  for (const fn of context.functions) {
    const types = new Map<string, string>([...initialized, ...fn.params, ...(fn.locals ?? [])].map((p) => [p.name, p.type]));
    for (const a of fn.assignments) {
      const [base, f, ...rest] = a.lhs.split('.');
      if (rest.length || f !== field || !base || !typeKeyIs(types.get(base) ?? '', struct)) continue;
      if (a.span.lines[0]) out.add(a.span.lines[0]);
    }
  }
  return out;
}
// end issue 14 R19 (api2)

function typeKeyIs(type: string, struct: string): boolean {
  return new RegExp(`\\bstruct\\s+${struct}\\b`).test(type);
}

/** The fix text of a row, as a mechanical edit where there is one. */
function says(row: Migration): string {
  const m = row.mechanical;
  if (m && 'rename' in m) {
    const to = row.form === 'call' ? `${m.rename}()` : row.form === 'struct' ? `struct ${m.rename}` : row.form === 'field' ? `.${m.rename}` : m.rename;
    return `${shape(row)} was renamed to ${to} in ${row.goneIn}${row.replacement === to ? '' : ` (${row.replacement})`}.`;
  }
  return `${shape(row)} is gone in ${row.goneIn}: ${row.replacement}.`;
}

function shape(row: Migration): string {
  if (row.arity !== undefined) return `${row.old}() with ${row.arity} arguments`;
  switch (row.form) {
    case 'call': return `${row.old}()`;
    case 'struct': return `struct ${row.old}`;
    case 'field': return row.inInitializerOf ? `the field .${row.old} of struct ${row.inInitializerOf}` : `the callback .${row.old}`;
    default: return row.old;
  }
}

/**
 * The severity from the target era (spec, severity calibration, R19 row): error when a sure source
 * puts the target at or past the removal; warning when only the Date or a subject tag does; info
 * when the era is unknown, or when the patch's own base predates the change while a release with
 * the change existed at the mail's date (a merge-time rename); nothing when the target predates it.
 */
function judge(context: RuleContext, rows: readonly Migration[]): { severity: Severity; era: string; note: string } | undefined {
  const era = context.era;
  // the earliest removal among the line's rows decides
  const row = rows.reduce((a, b) => (version(b) < version(a) ? b : a));
  const gone = version(row);
  const lower = (s: Severity): Severity => (row.confidence === 'unsure' ? LEVELS[Math.max(0, LEVELS.indexOf(s) - 1)]! : s);
  const said = describeEra(era);
  // the Date bounds the target from above (trap 4), even where stronger-looking evidence set it aside
  const dated = mailDate(context.patch.date);
  const bound = dated && era.source !== 'option' ? dateBound(dated) : undefined;
  if (bound !== undefined && bound < gone) return undefined;
  // a newer API among the added lines may be a stable backport next to the old name (trap 4): a hint, not a target
  if (!era.minFromUses) {
    if (surelyAtLeast(era, gone)) return { severity: lower('error'), era: said, note: '' };
    if (era.min !== undefined && era.min >= gone) return { severity: lower('warning'), era: said, note: '' };
  }
  // an upper bound read from the added lines' own uses is the patch's assumption, not its target
  if (isBefore(era, gone) && !era.belowFromUses) {
    const date = mailDate(context.patch.date);
    const released = date ? newestReleaseAt(date) : undefined;
    if (!era.belowSure || era.source === 'date' || released === undefined || released < gone) return undefined;
    return {
      severity: 'info', era: said,
      note: ` The patch's own base predates ${formatVersion(gone)}, so nothing is wrong in the patch itself; it will need the change when merged with ${formatVersion(gone)} or later.`,
    };
  }
  if (era.source === 'option') return undefined;
  const date = mailDate(context.patch.date);
  const released = date ? newestReleaseAt(date) : undefined;
  const mainline = released !== undefined && released >= gone ? ` Mainline had released ${formatVersion(released)} without it by the mail's date.` : '';
  const unknown = era.belowFromUses ? `target unknown (the bound in ${said} rests on the patch's own uses)` : said;
  return { severity: 'info', era: unknown, note: ` The target kernel is not known from the patch; this matters only if it is ${formatVersion(gone)} or later.${mainline}` };
}

function version(row: Migration): Version {
  return parseVersion(row.goneIn)!;
}

const TOKENS = new Map<string, RegExp>();

/** 0-based columns where the row's identifier occurs in code in its own form. */
function occurrences(code: string, row: Migration): number[] {
  const out: number[] = [];
  // most lines name no old identifier: a substring test first, one compiled pattern per identifier
  if (!code.includes(row.old)) return out;
  let token = TOKENS.get(row.old);
  if (!token) TOKENS.set(row.old, token = new RegExp(`\\b${row.old}\\b`, 'g'));
  token.lastIndex = 0;
  for (const m of code.matchAll(token)) {
    const before = code.slice(0, m.index!);
    const after = code.slice(m.index! + row.old.length);
    if (row.form === 'call' && !/^\s*\(/.test(after)) continue;
    if (row.form === 'struct' && !/\bstruct\s+$/.test(before)) continue;
    if (row.form === 'field' && !/(?:\.|->)\s*$/.test(before)) continue;
    out.push(m.index!);
  }
  return out;
}

interface CodeLine {
  diff: DiffLine;
  /** The line with comments and string/char literals blanked (columns kept). */
  code: string;
  /** Old identifiers whose #ifdef guards the line; '*' under a kernel-version test. */
  compat: string[];
}

/**
 * The post-image lines of each hunk with comments and literals blanked, and the compatibility
 * conditionals (#if on LINUX_VERSION_CODE/KERNEL_VERSION, #ifdef/#ifndef/defined() of a name)
 * each line sits in. A hunk starts outside any comment and conditional.
 */
function codeLines(hunks: readonly (readonly DiffLine[])[]): CodeLine[] {
  const out: CodeLine[] = [];
  for (const hunk of hunks) {
    let inComment = false;
    const stack: string[][] = [];
    for (const diff of hunk) {
      if (diff.newLine === undefined) continue;
      const { code, open } = blank(diff.text, inComment);
      inComment = open;
      const directive = /^\s*#\s*(\w+)(.*)$/.exec(code);
      if (directive) {
        const [, word, rest] = directive;
        if (word === 'if' || word === 'ifdef' || word === 'ifndef') stack.push(compatNames(word, rest!));
        else if (word === 'elif' && stack.length) stack[stack.length - 1] = [...stack.at(-1)!, ...compatNames('if', rest!)];
        else if (word === 'endif') stack.pop();
      }
      out.push({ diff, code, compat: stack.flat() });
    }
  }
  return out;
}

function compatNames(word: string, rest: string): string[] {
  if (VERSION_TESTS.some((t) => new RegExp(`\\b${t}\\b`).test(rest))) return ['*'];
  if (word === 'ifdef' || word === 'ifndef') return [rest.trim().split(/\s+/)[0] ?? ''];
  return [...rest.matchAll(/\bdefined\s*\(?\s*(\w+)/g)].map((m) => m[1]!);
}

/** Comments and literals replaced by spaces; whether a block comment is still open at the end. */
function blank(text: string, inComment: boolean): { code: string; open: boolean } {
  let code = '';
  let i = 0;
  while (i < text.length) {
    if (inComment) {
      const end = text.indexOf('*/', i);
      const stop = end < 0 ? text.length : end + 2;
      code += ' '.repeat(stop - i);
      i = stop;
      if (end >= 0) inComment = false;
      continue;
    }
    const c = text[i]!;
    if (c === '/' && text[i + 1] === '*') { inComment = true; continue; }
    if (c === '/' && text[i + 1] === '/') { code += ' '.repeat(text.length - i); break; }
    if (c === '"' || c === "'") {
      const j = skipQuoted(text, i);
      code += c + ' '.repeat(j - i - 1) + (j < text.length ? c : '');
      i = j + 1;
      continue;
    }
    code += c;
    i++;
  }
  return { code: code.slice(0, text.length), open: inComment };
}

/**
 * The mechanical edit, when every hit of the line is one-to-one (a rename, or a dropped argument of
 * a call whose lines are all added): the whole line (or the call's lines) rewritten.
 */
function suggest(hits: readonly { row: Migration; column: number; call?: Call }[], line: DiffLine): RuleSuggestion | undefined {
  if (hits.some((h) => !h.row.mechanical)) return undefined;
  const renames = hits.filter((h) => 'rename' in h.row.mechanical!);
  const drops = hits.filter((h) => 'dropArg' in h.row.mechanical!);
  if (drops.length > 1) return undefined;
  let replace: DiffLine[] = [line];
  let texts = [line.text];
  // renames right to left keep the columns valid
  for (const h of [...renames].sort((a, b) => b.column - a.column)) {
    const to = (h.row.mechanical as { rename: string }).rename;
    texts[0] = texts[0]!.slice(0, h.column) + to + texts[0]!.slice(h.column + h.row.old.length);
  }
  if (drops.length === 1) {
    const { call, row } = drops[0]!;
    const lines = call!.span.lines;
    if (lines.some((l) => l.kind !== '+') || lines.some((l, i) => i > 0 && l.patchLine !== lines[i - 1]!.patchLine + 1)) return undefined;
    const edited = [texts[0]!, ...lines.slice(1).map((l) => l.text)];
    const dropped = dropArgument(edited, row.old, (row.mechanical as { dropArg: number }).dropArg);
    if (!dropped) return undefined;
    replace = [...lines];
    texts = dropped;
  }
  const titles = [...new Set(hits.map((h) => ('rename' in h.row.mechanical! ? `${h.row.old} → ${h.row.mechanical.rename}` : `drop argument ${h.row.mechanical!.dropArg + 1} of ${h.row.old}()`)))];
  return { title: `Migrate: ${titles.join(', ')}`, replace, lines: texts };
}

/** The lines with argument `index` of the first call of `name` removed (with its comma), or undefined. */
function dropArgument(lines: readonly string[], name: string, index: number): string[] | undefined {
  const start = lines.findIndex((l) => new RegExp(`\\b${name}\\s*\\(`).test(l));
  if (start < 0) return undefined;
  const open = lines[start]!.search(new RegExp(`\\b${name}\\s*\\(`)) + lines[start]!.slice(lines[start]!.search(new RegExp(`\\b${name}\\s*\\(`))).indexOf('(');
  // commas at depth 1, as [line, column]
  const commas: [number, number][] = [];
  let depth = 0;
  let end: [number, number] | undefined;
  outer: for (let li = start; li < lines.length; li++) {
    const text = lines[li]!;
    for (let ci = li === start ? open : 0; ci < text.length; ci++) {
      const c = text[ci]!;
      if (c === '(' || c === '[' || c === '{') depth++;
      else if (c === ')' || c === ']' || c === '}') {
        depth--;
        if (depth === 0) { end = [li, ci]; break outer; }
      } else if (c === ',' && depth === 1) commas.push([li, ci]);
    }
  }
  if (!end || index === 0 || commas.length < index) return undefined;
  // from the comma before the argument to the comma after it (or the closing parenthesis)
  const from = commas[index - 1]!;
  const to = commas[index] ?? end;
  const out = [...lines];
  const head = out[from[0]]!.slice(0, from[1]);
  const tail = out[to[0]]!.slice(to[1]);
  out.splice(from[0], to[0] - from[0] + 1, head + tail);
  return out;
}
