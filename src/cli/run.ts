import { Command, CommanderError, Option } from 'commander';
import { parseVersion } from '../analysis/kernel-era.js';
import { applyConfig, CONFIG_FILE, ConfigError, findConfig, readConfig, rulesOff, type ProjectConfig } from '../config/project-config.js';
import type { LintOptions } from '../engine/lint.js';
import { newEraMemory, newStats, treeContext, type LintStats } from '../engine/lint-model.js';
import { countSkipped, isRuleName, mayReport, rawTextCannotReport, selectRuleIds } from '../engine/prefilter.js';
import { mailClaims } from '../analysis/mail-era.js';
import { DEFAULT_MAX_BYTES, InputError } from '../input/read-input.js';
import { readInputStream } from '../input/stream-input.js';
import { formatGithub } from '../report/github.js';
import { formatJson } from '../report/json.js';
import { formatB4Check, formatB4Problems, reviewCheckResults } from '../b4/check.js';
import { git } from '../tree/source-tree.js';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { InputProblem, Report } from '../report/report.js';
import { formatText } from '../report/text.js';
import type { Finding, Severity } from '../rules/rule.js';
import { stat } from 'node:fs/promises';
import { cFilesUnder, loadInputs, type LoadedInput } from './collect-inputs.js';
import { scanProgress } from './scan-progress.js';
import type { parseTracking as ParseTracking } from '../b4/review-agent.js';
import { gitRange, gitStaged, gitWorktree, treeAt, type GitInput } from '../tree/git-inputs.js';
import { VERSION } from './version.js';
import { availableParallelism } from 'node:os';
import type { MailPool } from '../engine/mail-pool.js';
import type { Patch } from '../input/patch-model.js';
import type { Repair } from '../rules/rule.js';

/** Milliseconds of checking in this thread after which the next mails go to the mail pool (P2PCHECK_POOL_AFTER_MS). */
const POOL_AFTER_MS = Number(process.env['P2PCHECK_POOL_AFTER_MS'] ?? 400);

function addLintStats(into: LintStats, from: LintStats): void {
  for (const key of Object.keys(into) as (keyof LintStats)[]) into[key] = (into[key] ?? 0) + (from[key] ?? 0);
}

export interface Io {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  stdin: () => Promise<Buffer>;
  /** Standard input as a stream (any size in bounded memory); `stdin` is read whole when absent. */
  stdinStream?: () => AsyncIterable<Buffer>;
  stdinIsTTY: boolean;
  /** Standard error is a terminal: directory scans show their progress there. */
  stderrIsTTY?: boolean;
  /** Aborted on Ctrl-C: a directory scan stops and reports what it found so far. */
  signal?: AbortSignal;
}

const FAIL_LEVELS = ['error', 'warning', 'info', 'never'] as const;
type FailOn = (typeof FAIL_LEVELS)[number];
const RANK: Record<Severity, number> = { error: 3, warning: 2, info: 1 };

/** 130: interrupted (128 + SIGINT), as shells report it; never 0, so a stopped run does not look like a pass. */
export const EXIT = { clean: 0, findings: 1, usage: 2, interrupted: 130 } as const;

const FORMATS = ['text', 'json', 'sarif', 'github', 'gitlab', 'reply', 'b4', 'b4-review'] as const;

interface CliOptions {
  format: (typeof FORMATS)[number];
  outputDir?: string;
  from?: string;
  replyInfo?: boolean;
  b4ReviewAgent?: boolean;
  listRules?: boolean;
  explain?: string;
  exportGuide?: string | boolean;
  rules?: string[];
  ignore?: string[];
  failOn: FailOn;
  terse?: boolean;
  showfile?: boolean;
  kernelVersion?: string;
  maxBytes: number;
  stats?: boolean;
  jobs?: number;
  warningExitCode?: number;
  /** A path from --config, false from --no-config, undefined to look the file up. */
  config?: string | false;
  /** A folder from --tree, false from --no-tree. */
  tree?: string | false;
  git?: string;
  staged?: boolean;
  worktree?: boolean;
}

function program(io: Io): Command {
  const list = (value: string, previous: string[] = []) => [...previous, ...value.split(',').map((s) => s.trim()).filter(Boolean)];
  return new Command('p2pcheck')
    .description('Lint Linux kernel patches, mails, mboxes and C files for PCI P2PDMA and DMA-API mistakes.')
    .version(VERSION, '-V, --version')
    .argument('[inputs...]', 'patch, mail, mbox, diff, .c/.h files or directories; - for standard input')
    .addOption(new Option('-f, --format <format>', 'output format (b4: per-patch check of b4 am/prep; b4-review: JSON of b4 review\'s check matrix)').choices([...FORMATS]).default('text'))
    .option('--output-dir <dir>', 'with --format reply: one mail file per reply in this directory (as git format-patch -o)')
    .option('--from <address>', 'with --format reply: the From of the replies (default: git user.name <user.email>)')
    .option('--reply-info', 'with --format reply: reply to patches whose findings are all informational too')
    .option('--b4-review-agent', "b4 review's agent: write review files for the review branch checked out here (arguments after it are ignored)")
    .option('--list-rules', 'list the rules and exit')
    .option('--explain <rule>', "print a rule's full text and exit (R2 or its slug)")
    .option('--export-guide [file]', 'write a Markdown review guide for P2PDMA/DMA-API patches (for human and AI reviewers), made from the rules, to the file or standard output, and exit')
    .option('--rules <ids>', 'only these rules, comma-separated (like checkpatch --types)', list)
    .option('--types <ids>', 'alias of --rules', list)
    .option('--ignore <ids>', 'skip these rules, comma-separated', list)
    .addOption(new Option('--fail-on <level>', 'exit 1 when a finding is at or above this level').choices([...FAIL_LEVELS]).default('error'))
    .option('--terse', 'one line per finding, at the patch-file position (checkpatch --terse)')
    .option('--showfile', 'with --terse: the target file position instead (checkpatch --showfile)')
    .option('--kernel-version <version>', 'target kernel, e.g. 6.12 (otherwise inferred from the patch)')
    .addOption(new Option('--max-bytes <n>', 'refuse a mail, diff or C file larger than this (in an mbox: each mail)').argParser((v) => Number.parseInt(v, 10)).default(DEFAULT_MAX_BYTES))
    .addOption(new Option('--warning-exit-code <code>', 'exit with this code when the worst finding is a warning (netdev CI uses 250)').argParser((v) => Number.parseInt(v, 10)))
    .option('--stats', 'print parse statistics to standard error')
    .addOption(new Option('--jobs <n>', 'worker threads for a long run of mails (an mbox, many patches); 1: none (default: the number of cores)').argParser((v) => Number.parseInt(v, 10)))
    .option('--tree <dir>', 'kernel tree the patches apply to: whole functions as context (default: the current directory when it is a kernel checkout)')
    .option('--no-tree', 'analyse hunks as fragments even inside a kernel checkout')
    .option('--git <range>', 'lint every commit of a range of the repository here, with full file context (like checkpatch -g)')
    .option('--staged', 'lint what is staged, with full file context')
    .option('--worktree', 'lint what the work tree changes against the index, with full file context')
    .option('--config <file>', `read this configuration instead of looking up ${CONFIG_FILE}`)
    .option('--no-config', `ignore every ${CONFIG_FILE}`)
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr, outputError: (message, write) => write(`p2pcheck: ${message}`) });
}

/** The CLI as a function: arguments in, exit code out, all output through `io`. */
export async function runCli(argv: readonly string[], io: Io): Promise<number> {
  const cmd = program(io);
  try {
    cmd.parse(argv as string[], { from: 'user' });
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? EXIT.clean : EXIT.usage;
    throw e;
  }
  const opts = cmd.opts<CliOptions & { types?: string[] }>();
  if (opts.listRules) {
    const [{ RULES }, { listRules }] = await Promise.all([import('../rules/index.js'), import('./explain.js')]);
    io.stdout(listRules(RULES));
    return EXIT.clean;
  }
  if (opts.explain) {
    const [{ ruleById }, { explainRule }] = await Promise.all([import('../rules/index.js'), import('./explain.js')]);
    const rule = ruleById(opts.explain);
    if (!rule) { io.stderr(`p2pcheck: unknown rule '${opts.explain}' (see --list-rules)\n`); return EXIT.usage; }
    io.stdout(explainRule(rule));
    return EXIT.clean;
  }
  if (opts.exportGuide !== undefined) return exportGuide(opts.exportGuide, io);
  const unknown = [...(opts.rules ?? []), ...(opts.types ?? []), ...(opts.ignore ?? [])].filter((r) => !isRuleName(r));
  if (unknown.length) { io.stderr(`p2pcheck: unknown rule ${unknown.join(', ')} (see --list-rules)\n`); return EXIT.usage; }
  const kernelVersion = opts.kernelVersion === undefined ? undefined : parseVersion(opts.kernelVersion);
  if (opts.kernelVersion !== undefined && kernelVersion === undefined) {
    io.stderr(`p2pcheck: --kernel-version takes a version like 6.12, not '${opts.kernelVersion}'\n`);
    return EXIT.usage;
  }
  if (!Number.isFinite(opts.maxBytes) || opts.maxBytes <= 0) { io.stderr('p2pcheck: --max-bytes takes a positive number\n'); return EXIT.usage; }
  if (opts.jobs !== undefined && !(opts.jobs >= 1)) { io.stderr('p2pcheck: --jobs takes a number of threads, 1 or more\n'); return EXIT.usage; }
  if (opts.warningExitCode !== undefined && !(opts.warningExitCode >= 0 && opts.warningExitCode <= 255)) {
    io.stderr('p2pcheck: --warning-exit-code takes a number from 0 to 255\n');
    return EXIT.usage;
  }

  let gitInput: GitInput | undefined;
  try {
    gitInput = opts.git ? gitRange(process.cwd(), opts.git) : opts.staged ? gitStaged(process.cwd()) : opts.worktree ? gitWorktree(process.cwd()) : undefined;
  } catch (e) {
    io.stderr(`p2pcheck: git: ${oneLine(e)}\n`);
    return EXIT.usage;
  }
  const replyOnly = [opts.outputDir !== undefined && '--output-dir', opts.from !== undefined && '--from', opts.replyInfo && '--reply-info'].filter(Boolean);
  if (replyOnly.length && opts.format !== 'reply') { io.stderr(`p2pcheck: ${replyOnly.join(', ')}: only with --format reply\n`); return EXIT.usage; }
  const reviewAgent = !!opts.b4ReviewAgent;
  let inputs = reviewAgent ? [] : cmd.args;
  let from = opts.from;
  if (opts.format === 'reply' && !from) {
    from = gitIdentity();
    if (!from) { io.stderr('p2pcheck: --format reply needs a From: give --from "Name <address>" or set git\'s user.name and user.email\n'); return EXIT.usage; }
  }
  if (inputs.length === 0 && !gitInput && !reviewAgent) {
    if (io.stdinIsTTY) { io.stderr('p2pcheck: no input (give files, directories or - for standard input; --help)\n'); return EXIT.usage; }
    inputs = ['-'];
  }

  let config: ProjectConfig;
  try {
    config = opts.config === false ? {} : (opts.config ? readConfig(opts.config) : findConfig(process.cwd())).config;
  } catch (e) {
    io.stderr(`p2pcheck: ${e instanceof ConfigError ? e.message : oneLine(e)}\n`);
    return EXIT.usage;
  }
  const source = gitInput?.tree ?? (opts.tree === false ? undefined : treeAt(opts.tree, process.cwd()));
  const tree = source ? treeContext(source, !!gitInput) : undefined;
  const lintOptions: LintOptions = {
    rules: [...(opts.rules ?? []), ...(opts.types ?? [])], ignore: [...(opts.ignore ?? []), ...rulesOff(config)],
    kernelVersion, tree, eraMemory: newEraMemory(), preexisting: opts.format === 'b4-review',
  };
  if (reviewAgent) {
    try {
      // loaded only here: b4 review's agent runs the engine, which a plain check loads after its pre-filter
      const { describeRun, runReviewAgent } = await import('../b4/review-agent.js');
      const run = await runReviewAgent(process.cwd(), { ...lintOptions, tree: undefined, kernelVersion }, config);
      io.stdout(describeRun(run, process.cwd()));
      return EXIT.clean;
    } catch (e) {
      io.stderr(`p2pcheck: b4 review agent: ${oneLine(e)}\n`);
      return EXIT.usage;
    }
  }
  const stats = newStats();
  const ruleIds = selectRuleIds(lintOptions);
  // a mail that names no trigger is read without the mail library (replies need its headers)
  const cannotReport = tree || opts.format === 'reply' ? undefined : rawTextCannotReport(ruleIds);
  const report: Report = { findings: [], repairs: [], problems: [], patches: [], notes: [] };
  const { findings, repairs, problems } = report;
  const ruleOn = (rule: string) => config.rules?.[rule] !== 'off';
  // the C files of directories go to the worker threads (file mode at scale), the rest is read here
  const directories = gitInput ? [] : await directoryInputs(inputs);
  const stdin = io.stdinStream ?? (async function* () { yield await io.stdin(); });
  const loadedInputs = gitInput ? oneInput(gitInput) : loadInputs(inputs, stdin, directories.length > 0);
  let interrupted = false;
  let saidInterrupted = false;
  // the mail pool (issue 11): once the mails checked here have taken POOL_AFTER_MS, the rest go to
  // worker threads; not in tree mode (each patch changes the tree the next one applies to)
  const jobs = opts.jobs ?? availableParallelism();
  let pool: MailPool | undefined;
  let checkedMs = 0;
  const record = (checked: { findings: Finding[]; repairs: Repair[] }) => {
    findings.push(...applyConfig(checked.findings, config));
    repairs.push(...checked.repairs.filter((r) => ruleOn(r.rule)));
  };
  const poolMail = async (name: string, patches: Patch[]) => {
    const [{ resolveEras }, { MailPool }] = await Promise.all([import('../engine/lint.js'), import('../engine/mail-pool.js')]);
    pool ??= new MailPool({ lint: { rules: lintOptions.rules, ignore: lintOptions.ignore, kernelVersion, preexisting: lintOptions.preexisting } }, (result) => {
      addLintStats(stats, result.stats);
      if (result.error) problems.push({ input: result.input, message: `${result.input}: ${result.error}` });
      else record(result);
    }, jobs);
    await pool.submit(name, patches, resolveEras(patches, lintOptions));
  };
  for await (const loaded of loadedInputs) {
    // Ctrl-C: the input being checked is finished (an mbox up to the mail in hand), the next is not read
    if (interrupted) break;
    if (loaded.skipped) { io.stderr(`p2pcheck: skipped ${loaded.name}: ${loaded.skipped}\n`); continue; }
    if (loaded.error || !(loaded.bytes || loaded.open)) { problems.push({ input: loaded.name, message: loaded.error ?? 'unreadable' }); continue; }
    // nothing to check, as checkpatch.pl says of an empty patch (an empty `git diff | p2pcheck -`)
    if (loaded.bytes && loaded.bytes.length === 0) continue;
    try {
      // an mbox comes a mail at a time, so that an archive of any size is checked in bounded memory
      const source = loaded.open ? loaded.open() : [loaded.bytes!];
      let groups = 0;
      for await (const group of readInputStream(loaded.name, source, { maxBytes: opts.maxBytes, cannotReport })) {
        if (io.signal?.aborted && groups > 0) {
          // Ctrl-C in a long mbox: what was found so far is printed, and the run does not pass (130)
          io.stderr(`p2pcheck: ${loaded.name}: interrupted after ${groups} mails; the findings so far follow\n`);
          interrupted = saidInterrupted = true;
          break;
        }
        groups++;
        if (group.error) problems.push({ input: loaded.name, message: group.error });
        const patches = group.patches;
        for (const p of patches) for (const problem of p.problems) problems.push({ input: loaded.name, message: `${loaded.name}: ${problem}` });
        // a damaged hunk is a notice about that mail, like checkpatch's "patch seems to be corrupt": not an error
        for (const p of patches) {
          for (const notice of p.notices ?? []) report.notes.push({ input: loaded.name, mail: p.mailIndex, path: '', message: notice, kind: 'corrupt' });
        }
        if (opts.format === 'reply' || opts.format === 'b4-review') report.patches.push(...patches);
        // the pre-filter, before the parser and the rules are loaded: most patches end here
        if (!tree && !mayReport(patches, ruleIds)) {
          // a cover letter gives no finding, but its base ("based on v6.9", base-commit) is its series' era
          const memory = lintOptions.eraMemory!;
          for (const p of patches) if (p.messageId && !memory.claims.has(p.messageId)) memory.claims.set(p.messageId, mailClaims(p));
          countSkipped(patches, stats);
          continue;
        }
        if (pool || (!tree && jobs > 1 && checkedMs >= POOL_AFTER_MS)) { await poolMail(loaded.name, patches); continue; }
        const { checkPatches } = await import('../engine/lint.js');
        const started = performance.now();
        record(await checkPatches(patches, lintOptions, stats));
        checkedMs += performance.now() - started;
      }
    } catch (e) {
      problems.push({ input: loaded.name, message: e instanceof InputError ? e.message : `${loaded.name}: ${oneLine(e)}` });
    }
    if (io.signal?.aborted) { interrupted = true; break; }
  }
  const poolUsed = pool ? { mails: pool.mails, workers: pool.workerCount } : undefined;
  if (pool) {
    // what the workers hold is finished and reported in input order, interrupted or not
    try {
      await pool.drain();
    } catch (e) {
      problems.push({ input: 'mail pool', message: `mail pool: ${oneLine(e)}` });
    } finally {
      await pool.close();
    }
  }

  if (directories.length > 0 && !interrupted) {
    const { addStats, scanFiles } = await import('../engine/parallel-scan.js');
    const progress = scanProgress({ write: io.stderr, isTTY: !!io.stderrIsTTY, columns: process.stderr.columns });
    // the C files of a directory scan are the tree's own files: its Makefile names their kernel
    const scanLint = { ...lintOptions, kernelVersion: kernelVersion ?? source?.kernelVersion() };
    const scanned = await scanFiles(await cFilesUnder(directories), {
      lint: scanLint, maxBytes: opts.maxBytes, signal: io.signal, onProgress: progress.update,
    });
    progress.done();
    findings.push(...applyConfig(scanned.findings, config));
    problems.push(...scanned.problems);
    addStats(stats, scanned.stats.lint);
    if (scanned.aborted) interrupted = true;
    if (scanned.aborted) io.stderr(`p2pcheck: interrupted after ${scanned.stats.parsed} parsed files; the findings so far follow\n`);
  }
  if (interrupted && directories.length === 0 && !saidInterrupted) io.stderr('p2pcheck: interrupted; the findings so far follow\n');
  report.notes.push(...(tree?.notes ?? []));
  if (opts.format === 'b4' || opts.format === 'b4-review') {
    // b4 fails a check on every standard-error line and prefixes the command's name itself
    if (opts.format === 'b4') io.stderr(formatB4Problems(problems));
    io.stdout(opts.format === 'b4' ? formatB4Check(findings) : await reviewCheck(report, lintOptions, config));
    return interrupted ? EXIT.interrupted : problems.length ? EXIT.usage : failed(findings.filter((f) => !f.preexisting), opts.failOn) ? EXIT.findings : EXIT.clean;
  }
  for (const p of problems) io.stderr(`p2pcheck: ${p.message}\n`);
  // notes are not errors. --terse keeps only the damaged-mail notices (checkpatch says "patch
  // seems to be corrupt" too): that a patch does not apply to the tree here, or what tree context
  // removed, is no news there (b4 counts every standard-error line as a failed check)
  if (opts.format === 'text' || opts.format === 'gitlab' || opts.format === 'reply') {
    for (const n of report.notes) {
      if (opts.terse && n.kind !== 'corrupt') continue;
      io.stderr(`p2pcheck: note: ${n.input}: ${n.path ? `${n.path} ` : ''}${n.message}\n`);
    }
  }
  if (opts.format === 'reply') {
    // loaded only here, with node:crypto (issue 11: a plain run loads no module it does not use)
    const { asMbox, replyFileName, replyMails } = await import('../report/reply.js');
    const replies = replyMails(report.patches, findings, { from: from!, replyInfo: opts.replyInfo });
    for (const line of replies.skipped) io.stderr(`p2pcheck: ${line}\n`);
    if (opts.outputDir) {
      try {
        mkdirSync(opts.outputDir, { recursive: true });
        for (const [i, mail] of replies.mails.entries()) {
          const file = join(opts.outputDir, replyFileName(i, mail));
          writeFileSync(file, `From p2pcheck Mon Sep 17 00:00:00 2001\n${mail.message}`);
          io.stdout(`${file}\n`);
        }
      } catch (e) {
        io.stderr(`p2pcheck: ${opts.outputDir}: ${oneLine(e)}\n`);
        return EXIT.usage;
      }
    } else {
      io.stdout(asMbox(replies.mails));
    }
  } else {
    io.stdout(await render(opts, report, lintOptions));
  }
  if (opts.stats) {
    const rate = stats.fragments ? ((100 * stats.fragmentsWithErrors) / stats.fragments).toFixed(1) : '0.0';
    io.stderr(`p2pcheck: ${stats.patches} patches, ${stats.files} C files (${stats.filesSkipped} skipped by pre-filter), ` +
      `${stats.fragments} fragments parsed, ${stats.fragmentsWithErrors} with ERROR nodes (${rate}%), ${stats.errorNodes} ERROR/MISSING nodes${poolUsed ? `; mail pool: ${poolUsed.mails} mails checked on ${poolUsed.workers} worker threads` : ''}\n`);
    if (tree) {
      io.stderr(`p2pcheck: ${tree.source.label}: ${stats.notApplied ?? 0} files did not apply, ${stats.treeRemoved ?? 0} fragment findings removed by tree context, ` +
        `${stats.treeKept ?? 0} kept (the removing fact was in another function)\n`);
      for (const n of tree.notes) if (n.removed) io.stderr(`p2pcheck: tree-removed: ${n.input}: ${n.path}:${n.removed.line} ${n.removed.rule} by ${n.removed.fact}\n`);
    }
  }
  if (interrupted) return EXIT.interrupted;
  if (problems.length) return EXIT.usage;
  if (failed(findings, opts.failOn)) return EXIT.findings;
  const warnings = opts.warningExitCode !== undefined && findings.some((f) => f.severity === 'warning');
  return warnings ? opts.warningExitCode! : EXIT.clean;
}

async function render(opts: CliOptions, report: Report, lintOptions: LintOptions): Promise<string> {
  const { findings, repairs } = report;
  switch (opts.format) {
    case 'json': return formatJson(report);
    case 'sarif': {
      const [{ formatSarif }, { selectRules }] = await Promise.all([import('../report/sarif.js'), import('../engine/lint.js')]);
      return formatSarif(findings, VERSION, selectRules(lintOptions), repairs, report.notes);
    }
    case 'github': return formatGithub(findings, repairs, report.notes);
    case 'gitlab': return (await import('../report/gitlab.js')).formatGitlab(findings);
    default: return formatText(findings, { terse: opts.terse, showfile: opts.showfile }, repairs);
  }
}

/**
 * b4 review's check column for one message: the patch's findings; for a message without a diff
 * (the cover letter, as review-series-check-cmd gets it), the whole series of the b4 review
 * branch checked out here (its tip's tracking data names the first patch).
 */
async function reviewCheck(report: Report, lintOptions: LintOptions, config: ProjectConfig): Promise<string> {
  const hasDiff = report.patches.some((p) => p.files.length > 0);
  let findings: Finding[] = report.findings;
  if (!hasDiff && report.problems.length === 0) {
    const { lintSeries, parseTracking } = await import('../b4/review-agent.js');
    const tracking = headTracking(parseTracking);
    if (tracking) {
      try {
        const root = git(process.cwd(), ['rev-parse', '--show-toplevel']).trim();
        findings = (await lintSeries(root, tracking, { ...lintOptions, tree: undefined }, config)).flatMap((p) => p.findings);
      } catch {
        findings = [];
      }
    }
  }
  return `${JSON.stringify(reviewCheckResults(findings, report.problems, hasDiff || findings.length > 0), null, 2)}\n`;
}

function headTracking(parseTracking: typeof ParseTracking): ReturnType<typeof ParseTracking> | undefined {
  try {
    return parseTracking(git(process.cwd(), ['log', '-1', '--format=%B', 'HEAD']));
  } catch {
    return undefined; // not a b4 review branch (ReviewBranchError), or not a git repository
  }
}

/** `Name <address>` from git's user.name and user.email, when both are set. */
function gitIdentity(): string | undefined {
  try {
    const name = git(process.cwd(), ['config', 'user.name']).trim();
    const email = git(process.cwd(), ['config', 'user.email']).trim();
    return name && email ? `${name} <${email}>` : undefined;
  } catch {
    return undefined;
  }
}

function failed(findings: readonly Finding[], failOn: FailOn): boolean {
  if (failOn === 'never') return false;
  return findings.some((f) => RANK[f.severity] >= RANK[failOn]);
}

async function directoryInputs(inputs: readonly string[]): Promise<string[]> {
  const dirs: string[] = [];
  for (const name of inputs) if (name !== '-' && (await stat(name).catch(() => undefined))?.isDirectory()) dirs.push(name);
  return dirs;
}

/** The git text as one input; nothing to check when git shows no change. */
async function* oneInput(input: GitInput): AsyncGenerator<LoadedInput> {
  if (input.text.trim() !== '') yield { name: input.name, bytes: Buffer.from(input.text) };
}

function oneLine(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).split('\n')[0]!;
}

/** --export-guide [file]: the review guide to the file, or to standard output without one (or with -). */
async function exportGuide(target: string | boolean, io: Io): Promise<number> {
  const [{ RULES }, { reviewGuide }] = await Promise.all([import('../rules/index.js'), import('../report/review-guide.js')]);
  const guide = reviewGuide(RULES, VERSION);
  if (typeof target !== 'string' || target === '-') {
    io.stdout(guide);
    return EXIT.clean;
  }
  try {
    writeFileSync(target, guide);
  } catch (e) {
    io.stderr(`p2pcheck: --export-guide: ${oneLine(e)}\n`);
    return EXIT.usage;
  }
  io.stderr(`p2pcheck: review guide written to ${target} (${guide.split('\n').length - 1} lines, ${Buffer.byteLength(guide)} bytes)\n`);
  return EXIT.clean;
}
