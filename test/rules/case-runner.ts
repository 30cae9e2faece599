import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { parseVersion } from '../../src/analysis/kernel-era.js';
import { lintPatches } from '../../src/engine/lint.js';
import { targetPath } from '../../src/input/patch-model.js';
import { readInput } from '../../src/input/read-input.js';
import type { Severity } from '../../src/rules/rule.js';

/**
 * Rule cases in the Semgrep manner: in a case file (a .c file, linted as wholly added, or a
 * .patch), a comment `ruleid: R2` (or `ruleid: R2(warning)`) says the next line must carry a
 * finding of the rule, `ok: R2` that it must not. The rule must report exactly the annotated
 * lines of the file and nothing else. `kernel-version: 5.10` in a comment sets the target kernel.
 */
interface Expectation {
  path: string;
  line: number;
  severity?: Severity;
}

export function runRuleCases(ruleId: string, casesDir: string): void {
  const files = readdirSync(casesDir).filter((f) => /\.(c|h|patch)$/.test(f)).sort();
  describe(`${ruleId} cases`, () => {
    test('the case folder holds both firing and quiet cases', () => {
      const texts = files.map((f) => readFileSync(join(casesDir, f), 'utf8'));
      assert.ok(texts.some((t) => t.includes(`ruleid: ${ruleId}`)), 'no case that fires');
      assert.ok(texts.some((t) => t.includes(`ok: ${ruleId}`)), 'no case that must stay quiet');
    });
    for (const file of files) {
      test(file, async () => {
        const path = join(casesDir, file);
        const bytes = readFileSync(path);
        const text = bytes.toString('utf8');
        const version = /kernel-version:\s*([\d.]+)/.exec(text)?.[1];
        const patches = await readInput(path, bytes);
        const findings = (await lintPatches(patches, { rules: [ruleId], kernelVersion: version ? parseVersion(version) : undefined }))
          .filter((f) => f.rule === ruleId);
        const expected = expectations(patches, ruleId);
        const got = findings.map((f) => `${f.path}:${f.line}`).sort();
        assert.deepEqual(got, expected.map((e) => `${e.path}:${e.line}`).sort(), `findings of ${ruleId}:\n${findings.map((f) => `  ${f.path}:${f.line} ${f.message}`).join('\n')}`);
        for (const e of expected) {
          if (!e.severity) continue;
          const f = findings.find((x) => x.path === e.path && x.line === e.line)!;
          assert.equal(f.severity, e.severity, `severity at ${e.path}:${e.line}`);
        }
      });
    }
  });
}

function expectations(patches: Awaited<ReturnType<typeof readInput>>, ruleId: string): Expectation[] {
  const out: Expectation[] = [];
  const marker = new RegExp(`ruleid:\\s*${ruleId}(?:\\((error|warning|info)\\))?(?![\\w])`);
  for (const patch of patches) {
    for (const file of patch.files) {
      const post = file.hunks.flatMap((h) => h.lines.filter((l) => l.newLine !== undefined));
      post.forEach((line, i) => {
        const m = marker.exec(line.text);
        const next = post[i + 1];
        if (m && next?.newLine !== undefined) out.push({ path: targetPath(file), line: next.newLine, severity: m[1] as Severity | undefined });
      });
    }
  }
  return out;
}
