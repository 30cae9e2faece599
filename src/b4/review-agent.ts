import { mkdirSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { applyConfig, type ProjectConfig } from '../config/project-config.js';
import { checkPatches, treeContext, type LintOptions } from '../engine/lint.js';
import { readInput } from '../input/read-input.js';
import { wrap } from '../report/reply.js';
import type { Finding, Severity } from '../rules/rule.js';
import { GitTree, git } from '../tree/source-tree.js';
import { repositoryRoot } from '../tree/git-inputs.js';

/** The marker between the cover letter and the tracking JSON in a review branch's tip commit. */
export const TRACKING_MARKER = '--- b4-review-tracking ---';
/** How p2pcheck signs its review files (identity.txt). */
export const AGENT_IDENTITY = 'p2pcheck <p2pcheck@p2pcheck.invalid>';

const DIFF_FLAGS = ['--no-ext-diff', '--no-textconv', '--no-color'];
const WORD: Record<Severity, string> = { error: 'error', warning: 'warning', info: 'check' };

interface Tracking {
  series?: { 'first-patch-commit'?: string; 'base-commit'?: string; reviews?: Record<string, { 'patch-state'?: string }> };
  patches?: { title?: string; reviews?: Record<string, { 'patch-state'?: string }> }[];
}

export class ReviewBranchError extends Error {}

/** The tracking dict of a review branch tip: the JSON after the marker, `#` lines skipped. */
export function parseTracking(message: string): Tracking {
  const at = message.split('\n').findIndex((l) => l.trim() === TRACKING_MARKER);
  if (at < 0) throw new ReviewBranchError(`HEAD is not the tip of a b4 review branch (its message has no "${TRACKING_MARKER}" line)`);
  const json = message.split('\n').slice(at + 1).filter((l) => !l.startsWith('#')).join('\n');
  try {
    return JSON.parse(json) as Tracking;
  } catch (e) {
    throw new ReviewBranchError(`the b4 review tracking data of HEAD is not JSON (${(e as Error).message.split('\n')[0]})`);
  }
}

/** The patch commits of a review branch, oldest first: `first-patch-commit~1..HEAD~1`. */
export function seriesCommits(root: string, tracking: Tracking, head = 'HEAD'): string[] {
  const first = tracking.series?.['first-patch-commit'] ?? tracking.series?.['base-commit'];
  if (!first) throw new ReviewBranchError('the b4 review tracking data names no first-patch-commit');
  const from = tracking.series?.['first-patch-commit'] ? `${first}~1` : first;
  return git(root, ['rev-list', '--reverse', `${from}..${head}~1`]).split('\n').filter(Boolean);
}

const skipped = (reviews: Record<string, { 'patch-state'?: string }> | undefined) =>
  Object.values(reviews ?? {}).some((r) => r?.['patch-state'] === 'skip');

export interface PatchFindings {
  /** 1-based position in the series (0001.txt). */
  index: number;
  sha: string;
  subject: string;
  diff: string;
  findings: Finding[];
}

/**
 * Lints every patch commit of the series with whole-file context (the tree at the commit's parent,
 * which holds the earlier patches), reporting what the rules see on the patch's context lines too,
 * marked pre-existing, unless an earlier patch of the series added it (reported there). Patches
 * the maintainer marked `skip` are left out.
 */
export async function lintSeries(root: string, tracking: Tracking, options: LintOptions, config: ProjectConfig, head = 'HEAD'): Promise<PatchFindings[]> {
  const out: PatchFindings[] = [];
  // what an earlier patch of the series added is not pre-existing code for a later one that shows it
  const added = new Set<string>();
  for (const [i, sha] of seriesCommits(root, tracking, head).entries()) {
    if (skipped(tracking.patches?.[i]?.reviews)) continue;
    const diff = git(root, ['diff', ...DIFF_FLAGS, `${sha}~1`, sha]);
    const subject = git(root, ['log', '-1', '--format=%s', sha]).trim();
    if (diff.trim() === '') { out.push({ index: i + 1, sha, subject, diff, findings: [] }); continue; }
    const source = new GitTree(root, `${sha}~1`);
    const patches = await readInput(`${String(i + 1).padStart(4, '0')} ${sha.slice(0, 12)}`, Buffer.from(diff));
    const checked = await checkPatches(patches, { ...options, kernelVersion: options.kernelVersion ?? source.kernelVersion(), tree: treeContext(source), preexisting: true });
    const findings = applyConfig(checked.findings, config).filter((f) => !(f.preexisting && added.has(f.fingerprint)));
    for (const f of findings) if (!f.preexisting) added.add(f.fingerprint);
    out.push({ index: i + 1, sha, subject, diff, findings });
  }
  return out;
}

export interface AgentRun {
  /** The review directory, `.git/b4-review/<HEAD sha>`. */
  dir: string;
  /** Files written there, by name. */
  written: string[];
  patches: PatchFindings[];
}

/**
 * `p2pcheck --b4-review-agent` as b4 0.16's `review-agent-command`: a deterministic review agent.
 * From the review branch checked out in `cwd` it writes what `misc/agent-reviewer.md` asks for:
 * `identity.txt`, `series.txt` (a one-line verdict, a blank line, the findings per patch) and, for
 * each patch with findings, `NNNN.txt`: a summary-plus-body note, then the patch's diff (`git diff
 * <sha>~1 <sha>`) quoted whole with `> `, each finding under its line with the rule's fix and its
 * thread; findings on context lines are marked pre-existing. Nothing else in the repository changes.
 */
export async function runReviewAgent(cwd: string, options: LintOptions, config: ProjectConfig): Promise<AgentRun> {
  const root = repositoryRoot(cwd);
  const head = git(root, ['rev-parse', 'HEAD']).trim();
  const tracking = parseTracking(git(root, ['log', '-1', '--format=%B', head]));
  const patches = await lintSeries(root, tracking, options, config, head);
  const dir = join(git(root, ['rev-parse', '--absolute-git-dir']).trim(), 'b4-review', head);
  mkdirSync(dir, { recursive: true });
  const written: string[] = [];
  const write = (name: string, text: string) => { writeFileSync(join(dir, name), text); written.push(name); };
  write('identity.txt', `${AGENT_IDENTITY}\n`);
  if (!skipped(tracking.series?.reviews)) write('series.txt', seriesReview(patches));
  for (const p of patches) if (p.findings.length) write(`${String(p.index).padStart(4, '0')}.txt`, patchReview(p));
  return { dir, written, patches };
}

function counted(findings: readonly Finding[]): string {
  const own = findings.filter((f) => !f.preexisting);
  const parts = (['error', 'warning', 'info'] as const).map((s) => [s, own.filter((f) => f.severity === s).length] as const)
    .filter(([, n]) => n > 0).map(([s, n]) => `${n} ${WORD[s]}${n === 1 ? '' : 's'}`);
  const old = findings.length - own.length;
  return [...parts, ...(old ? [`${old} pre-existing`] : [])].join(', ');
}

export function seriesReview(patches: readonly PatchFindings[]): string {
  const flagged = patches.filter((p) => p.findings.length);
  if (flagged.length === 0) return `p2pcheck: no P2PDMA/DMA-API findings in ${patches.length} patch${patches.length === 1 ? '' : 'es'}\n`;
  const all = flagged.flatMap((p) => p.findings);
  const rules = [...new Set(all.map((f) => f.rule))].join(', ');
  const lines = [`p2pcheck: ${counted(all)} in ${flagged.length} of ${patches.length} patches (${rules})`, ''];
  for (const p of flagged) {
    lines.push(`Patch ${p.index}, ${p.subject}: ${counted(p.findings)}`);
    for (const f of p.findings) lines.push(`  ${f.preexisting ? '(pre-existing) ' : ''}${f.path}:${f.line}: ${f.rule} ${f.slug}`);
  }
  return `${lines.join('\n')}\n`;
}

export function patchReview(p: PatchFindings): string {
  const own = p.findings.filter((f) => !f.preexisting);
  const rules = [...new Set(p.findings.map((f) => f.rule))].join(', ');
  const note = [
    `p2pcheck: ${counted(p.findings)} (${rules})`,
    '',
    ...wrap(own.length
      ? 'Each finding is under the line it is about, with the rule\'s fix and the mailing-list thread behind it.'
      : 'Nothing this patch adds is flagged; the findings below are on code it shows as context.'),
    '',
  ];
  const byLine = new Map<number, Finding[]>();
  for (const f of p.findings) byLine.set(f.patchLine, [...(byLine.get(f.patchLine) ?? []), f]);
  const lines = p.diff.replace(/\n$/, '').split('\n');
  const body: string[] = [];
  lines.forEach((line, i) => {
    body.push(`> ${line}`);
    const here = byLine.get(i + 1);
    if (here) for (const f of here) body.push('', ...comment(f), '');
  });
  return `${note.join('\n')}\n${body.join('\n')}\n`;
}

function comment(f: Finding): string[] {
  return [
    ...wrap(`${f.preexisting ? 'Pre-existing (this patch does not add this line): ' : ''}${f.rule} ${f.slug} (${WORD[f.severity]}): ${f.message}`),
    '',
    ...wrap(`Fix: ${f.fix}`),
    ...(f.references.length ? ['', ...f.references.slice(0, 2).map((r) => `Link: ${r}`)] : []),
  ];
}

/** For the CLI's one line per written file. */
export function describeRun(run: AgentRun, cwd: string): string {
  return run.written.map((name) => {
    const p = run.patches.find((x) => `${String(x.index).padStart(4, '0')}.txt` === name);
    return `${relative(cwd, join(run.dir, name))}${p ? `: ${counted(p.findings)}` : ''}\n`;
  }).join('');
}
