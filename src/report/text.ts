import type { Finding, Repair, Severity } from '../rules/rule.js';

/** checkpatch's words, so that b4 and editors read the lines as they read checkpatch's. */
const LEVEL: Record<Severity, string> = { error: 'ERROR', warning: 'WARNING', info: 'CHECK' };

export interface TextOptions {
  /** One line per finding, nothing else (checkpatch --terse). */
  terse?: boolean;
  /** With --terse: the target file's position instead of the patch file's (checkpatch --showfile). */
  showfile?: boolean;
}

/**
 * `drivers/foo/bar.c:123: ERROR: R2 p2p-single-map-api-on-p2p: message`, then the fix text, then
 * the repairs (`REPAIR:` lines; left out of --terse, which b4 reads as findings). A clean run
 * prints nothing at all.
 */
export function formatText(findings: readonly Finding[], options: TextOptions = {}, repairs: readonly Repair[] = []): string {
  const repairLines = options.terse ? [] : repairs.map((r) => `${r.path}:${r.line}: REPAIR: ${r.rule} ${r.slug}: ${r.message}\n`);
  return findings.map((f) => {
    const where = options.terse && !options.showfile ? `${f.input}:${f.patchLine}` : `${f.path}:${f.line}`;
    const head = `${where}: ${LEVEL[f.severity]}: ${f.rule} ${f.slug}: ${f.message}${f.also?.length ? ` (also ${f.also.join(", ")})` : ""}`;
    if (options.terse) return `${head}\n`;
    const era = f.era ? `  assumes: ${f.era}\n` : '';
    return `${head}\n${era}  fix: ${f.fix}\n\n`;
  }).join('') + repairLines.join('');
}
