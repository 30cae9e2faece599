import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LABELLED } from '../helpers/paths.js';
import { spawnCli } from '../cli/run-cli.js';

interface Label { rule: string; path: string; line: number | null; alt_rules?: string[] }
interface Case { file: string; expect: Label[]; may?: Label[] }

export interface Expected {
  rule: string;
  /** Rules the label also accepts. */
  rules: string[];
  /** 1-based line of the patch file (the CLI's JSON patchLine) where an editor must show it. */
  patchLine: number;
  label: Label;
}

/**
 * The labelled findings of a corpus patch (../shared/corpus/labelled/labels.json), placed at their
 * patch-file lines: each label (rule, target path, post-image line) is matched to the CLI's JSON
 * finding of that rule at that place (within two lines, as the corpus test allows), whose
 * patchLine is where an editor shows it. A label the CLI does not find fails here.
 */
export function labelledFindings(file: string): { path: string; expected: Expected[]; allowed: Set<string> } {
  const cases = JSON.parse(readFileSync(join(LABELLED, 'labels.json'), 'utf8')) as Case[];
  const c = cases.find((x) => x.file === file);
  if (!c || c.expect.length === 0) throw new Error(`${file} has no expected findings in labels.json`);
  const path = join(LABELLED, file);
  const run = spawnCli(['--no-config', '--no-tree', '--format', 'json', '--fail-on', 'never', path]);
  const findings = (JSON.parse(run.stdout) as { findings: { rule: string; path: string; line: number; patchLine: number }[] }).findings;
  const expected = c.expect.map((label) => {
    const rules = [label.rule, ...(label.alt_rules ?? [])];
    const f = findings.find((x) => rules.includes(x.rule) && x.path === label.path && (label.line === null || Math.abs(x.line - label.line) <= 2));
    if (!f) throw new Error(`${file}: the CLI does not report the labelled ${label.rule} at ${label.path}:${label.line}`);
    return { rule: f.rule, rules, patchLine: f.patchLine, label };
  });
  const allowed = new Set([...c.expect, ...(c.may ?? [])].flatMap((l) => [l.rule, ...(l.alt_rules ?? [])]));
  return { path, expected, allowed };
}
