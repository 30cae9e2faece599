import { Command, CommanderError, Option } from 'commander';
import { parseVersion } from '../analysis/kernel-era.js';
import { applyConfig, CONFIG_FILE, ConfigError, findConfig, readConfig, rulesOff, type ProjectConfig } from '../config/project-config.js';
import type { LintOptions } from '../engine/lint.js';
import { newStats, treeContext } from '../engine/lint-model.js';
import { countSkipped, isRuleName, mayReport, rawTextCannotReport, selectRuleIds } from '../engine/prefilter.js';
import { DEFAULT_MAX_BYTES, InputError } from '../input/read-input.js';
import { readInputStream } from '../input/stream-input.js';
import { formatGithub } from '../report/github.js';
import { formatGitlab } from '../report/gitlab.js';
import { formatJson } from '../report/json.js';
import { formatReply } from '../report/reply.js';
import type { InputProblem, Report } from '../report/report.js';
import { formatText } from '../report/text.js';
import type { Finding, Severity } from '../rules/rule.js';
import { stat } from 'node:fs/promises';
import { cFilesUnder, loadInputs, type LoadedInput } from './collect-inputs.js';
import { scanProgress } from './scan-progress.js';
import { gitRange, gitStaged, gitWorktree, treeAt, type GitInput } from '../tree/git-inputs.js';
import { VERSION } from './version.js';

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

export const EXIT = { clean: 0, findings: 1, usage: 2 } as const;

interface CliOptions {
  format: 'text' | 'json' | 'sarif' | 'github' | 'gitlab' | 'reply';
  listRules?: boolean;
  explain?: string;
  rules?: string[];
  ignore?: string[];
  failOn: FailOn;
  terse?: boolean;
  showfile?: boolean;
  kernelVersion?: string;
  maxBytes: number;
  stats?: boolean;
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
    .addOption(new Option('-f, --format <format>', 'output format').choices(['text', 'json', 'sarif', 'github', 'gitlab', 'reply']).default('text'))
    .option('--list-rules', 'list the rules and exit')
    .option('--explain <rule>', "print a rule's full text and exit (R2 or its slug)")
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
  const unknown = [...(opts.rules ?? []), ...(opts.types ?? []), ...(opts.ignore ?? [])].filter((r) => !isRuleName(r));
  if (unknown.length) { io.stderr(`p2pcheck: unknown rule ${unknown.join(', ')} (see --list-rules)\n`); return EXIT.usage; }
  const kernelVersion = opts.kernelVersion === undefined ? undefined : parseVersion(opts.kernelVersion);
  if (opts.kernelVersion !== undefined && kernelVersion === undefined) {
    io.stderr(`p2pcheck: --kernel-version takes a version like 6.12, not '${opts.kernelVersion}'\n`);
    return EXIT.usage;
  }
  if (!Number.isFinite(opts.maxBytes) || opts.maxBytes <= 0) { io.stderr('p2pcheck: --max-bytes takes a positive number\n'); return EXIT.usage; }
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
  let inputs = cmd.args;
  if (inputs.length === 0 && !gitInput) {
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
  const tree = source ? treeContext(source) : undefined;
  const lintOptions: LintOptions = {
    rules: [...(opts.rules ?? []), ...(opts.types ?? [])], ignore: [...(opts.ignore ?? []), ...rulesOff(config)],
    kernelVersion: kernelVersion ?? source?.kernelVersion(), tree,
  };
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
  for await (const loaded of loadedInputs) {
    if (interrupted) break;
    if (io.signal?.aborted) {
      problems.push({ input: loaded.name, message: `${loaded.name}: interrupted before it was read; the findings so far follow` });
      break;
    }
    if (loaded.skipped) { io.stderr(`p2pcheck: skipped ${loaded.name}: ${loaded.skipped}\n`); continue; }
    if (loaded.error || !(loaded.bytes || loaded.open)) { problems.push({ input: loaded.name, message: loaded.error ?? 'unreadable' }); continue; }
    try {
      // an mbox comes a mail at a time, so that an archive of any size is checked in bounded memory
      const source = loaded.open ? loaded.open() : [loaded.bytes!];
      let groups = 0;
      for await (const group of readInputStream(loaded.name, source, { maxBytes: opts.maxBytes, cannotReport })) {
        if (io.signal?.aborted) {
          // Ctrl-C in a long mbox: what was found so far is printed, and the run does not pass
          problems.push({ input: loaded.name, message: `${loaded.name}: interrupted after ${groups} mails; the findings so far follow` });
          interrupted = true;
          break;
        }
        groups++;
        if (group.error) problems.push({ input: loaded.name, message: group.error });
        const patches = group.patches;
        for (const p of patches) for (const problem of p.problems) problems.push({ input: loaded.name, message: `${loaded.name}: ${problem}` });
        if (opts.format === 'reply') report.patches.push(...patches);
        // the pre-filter, before the parser and the rules are loaded: most patches end here
        if (!tree && !mayReport(patches, ruleIds)) { countSkipped(patches, stats); continue; }
        const { checkPatches } = await import('../engine/lint.js');
        const checked = await checkPatches(patches, lintOptions, stats);
        findings.push(...applyConfig(checked.findings, config));
        repairs.push(...checked.repairs.filter((r) => ruleOn(r.rule)));
      }
    } catch (e) {
      problems.push({ input: loaded.name, message: e instanceof InputError ? e.message : `${loaded.name}: ${oneLine(e)}` });
    }
  }

  if (directories.length > 0) {
    const { addStats, scanFiles } = await import('../engine/parallel-scan.js');
    const progress = scanProgress({ write: io.stderr, isTTY: !!io.stderrIsTTY, columns: process.stderr.columns });
    const scanned = await scanFiles(await cFilesUnder(directories), {
      lint: lintOptions, maxBytes: opts.maxBytes, signal: io.signal, onProgress: progress.update,
    });
    progress.done();
    findings.push(...applyConfig(scanned.findings, config));
    problems.push(...scanned.problems);
    addStats(stats, scanned.stats.lint);
    if (scanned.aborted) io.stderr(`p2pcheck: interrupted after ${scanned.stats.parsed} parsed files; the findings so far follow\n`);
  }
  report.notes.push(...(tree?.notes ?? []));
  for (const p of problems) io.stderr(`p2pcheck: ${p.message}\n`);
  if (opts.format === 'text' || opts.format === 'gitlab' || opts.format === 'reply') {
    for (const n of report.notes) io.stderr(`p2pcheck: note: ${n.input}: ${n.path} ${n.message}\n`);
  }
  io.stdout(await render(opts, report, lintOptions));
  if (opts.stats) {
    const rate = stats.fragments ? ((100 * stats.fragmentsWithErrors) / stats.fragments).toFixed(1) : '0.0';
    io.stderr(`p2pcheck: ${stats.patches} patches, ${stats.files} C files (${stats.filesSkipped} skipped by pre-filter), ` +
      `${stats.fragments} fragments parsed, ${stats.fragmentsWithErrors} with ERROR nodes (${rate}%), ${stats.errorNodes} ERROR/MISSING nodes\n`);
  }
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
    case 'gitlab': return formatGitlab(findings);
    case 'reply': return formatReply(report.patches, findings);
    default: return formatText(findings, { terse: opts.terse, showfile: opts.showfile }, repairs);
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
