import type { Log, ReportingDescriptor, Result } from 'sarif';
import type { Note } from '../engine/lint.js';
import { RULES } from '../rules/index.js';
import { loreUrl, type Finding, type Repair, type Rule, type Severity } from '../rules/rule.js';

const LEVEL: Record<Severity, Result.level> = { error: 'error', warning: 'warning', info: 'note' };

/** SARIF 2.1.0 as GitHub code scanning takes it: every rule with help, results with fingerprints. */
export function formatSarif(findings: readonly Finding[], toolVersion: string, rules: readonly Rule[] = RULES, repairs: readonly Repair[] = [], notes: readonly Note[] = []): string {
  const index = new Map(rules.map((r, i) => [r.meta.id, i]));
  const log: Log = {
    version: '2.1.0',
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    runs: [{
      tool: {
        driver: {
          name: 'p2pcheck',
          version: toolVersion,
          informationUri: 'https://lore.kernel.org/linux-pci/',
          rules: rules.map(descriptor),
        },
      },
      results: [...findings.map((f) => result(f, index.get(f.rule))), ...repairs.map((r) => repairNote(r, index.get(r.rule)))],
      invocations: [{
        executionSuccessful: true,
        toolExecutionNotifications: notes.map((n) => ({ level: 'note' as const, message: { text: `${n.input}: ${n.path} ${n.message}` } })),
      }],
      columnKind: 'unicodeCodePoints',
    }],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}

function descriptor(rule: Rule): ReportingDescriptor {
  const m = rule.meta;
  const refs = m.references.map((r) => `- ${r.title}: ${loreUrl(r.messageId)}`).join('\n');
  return {
    id: m.id,
    name: m.slug,
    shortDescription: { text: m.summary },
    fullDescription: { text: m.why },
    helpUri: loreUrl(m.references[0]!.messageId),
    help: {
      text: `${m.summary}\n\nWhy: ${m.why}\n\nVersions: ${m.versions}\n\nFix: ${m.fix}\n\nThreads:\n${refs}`,
      markdown: `**${m.name}**\n\n${m.why}\n\n**Versions:** ${m.versions}\n\n**Fix:** ${m.fix}\n\n**Threads:**\n${refs}`,
    },
    defaultConfiguration: { level: LEVEL[m.defaultSeverity] },
    properties: { tags: ['p2pdma', 'dma-api', 'linux-kernel'] },
  };
}

const location = (path: string, line: number, column?: number) => ({
  physicalLocation: {
    artifactLocation: { uri: path, uriBaseId: '%SRCROOT%' },
    region: column ? { startLine: line, startColumn: column } : { startLine: line },
  },
});

/** A repair is a note: the patch removes a risky pattern (useful for stable-backport triage). */
function repairNote(r: Repair, ruleIndex: number | undefined): Result {
  return {
    ruleId: r.rule,
    ...(ruleIndex === undefined ? {} : { ruleIndex }),
    level: 'note',
    message: { text: r.message },
    locations: [location(r.path, r.line)],
    properties: { repair: true, input: r.input, mail: r.mail, patchLine: r.patchLine, oldLine: r.oldLine, subject: r.subject },
  };
}

function result(f: Finding, ruleIndex: number | undefined): Result {
  return {
    ruleId: f.rule,
    ...(ruleIndex === undefined ? {} : { ruleIndex }),
    level: LEVEL[f.severity],
    message: { text: `${f.message} Fix: ${f.fix}` },
    locations: [location(f.path, f.line, f.column)],
    relatedLocations: f.related.filter((r) => r.line > 0).map((r, id) => ({ id, ...location(r.path, r.line), message: { text: r.message } })),
    partialFingerprints: { 'p2pcheck/v1': f.fingerprint },
    properties: { input: f.input, mail: f.mail, patchLine: f.patchLine, subject: f.subject, ...(f.era ? { era: f.era } : {}) },
    ...(f.suggestion ? { fixes: [fixOf(f)] } : {}),
  };
}

/**
 * SARIF's standard `fixes`: the suggestion's edits of the input file (the patch as given, or the C
 * file), each a whole-line replacement (from column 1 of the first line to column 1 after the last).
 */
function fixOf(f: Finding): NonNullable<Result['fixes']>[number] {
  return {
    description: { text: f.suggestion!.title },
    artifactChanges: [{
      artifactLocation: { uri: f.input },
      replacements: f.suggestion!.edits.map((e) => ({
        deletedRegion: { startLine: e.startLine, startColumn: 1, endLine: e.endLine + 1, endColumn: 1 },
        insertedContent: { text: e.newLines.map((l) => `${l}\n`).join('') },
      })),
    }],
  };
}
