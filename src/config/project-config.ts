import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import picomatch from 'picomatch';
import type { Finding, Severity } from '../rules/rule.js';

/**
 * The project's p2pcheck configuration, `.p2pcheck.json`. Kernel sources carry no lint comments,
 * so suppressions live in a file, as checkpatch's live in `.checkpatch.conf`. The CLI and the
 * editor read the same file, looked up from the starting folder upwards to the repository root,
 * then in $HOME.
 *
 * {
 *   "rules": { "R1": "off", "R3": "error" },
 *   "skipPaths": ["drivers/staging/**"],
 *   "ignore": [{ "rule": "R2", "path": "drivers/x.c", "fingerprint": "3f0c9a5d2b1e4c77", "note": "why" }]
 * }
 */
export const CONFIG_FILE = '.p2pcheck.json';

export type RuleSetting = Severity | 'off';

export interface IgnoredFinding {
  rule: string;
  path: string;
  fingerprint: string;
  note?: string;
}

export interface ProjectConfig {
  rules?: Record<string, RuleSetting>;
  skipPaths?: string[];
  ignore?: IgnoredFinding[];
}

export interface LoadedConfig {
  path?: string;
  config: ProjectConfig;
}

export class ConfigError extends Error {}

/** Finds and reads the configuration that applies to `startDir`. */
export function findConfig(startDir: string): LoadedConfig {
  for (let dir = resolve(startDir); ; dir = dirname(dir)) {
    const candidate = join(dir, CONFIG_FILE);
    if (existsSync(candidate)) return readConfig(candidate);
    if (existsSync(join(dir, '.git')) || dirname(dir) === dir) break;
  }
  const home = join(homedir(), CONFIG_FILE);
  return existsSync(home) ? readConfig(home) : { config: {} };
}

export function readConfig(path: string): LoadedConfig {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new ConfigError(`${path}: ${(e as Error).message.split('\n')[0]}`);
  }
  return { path, config: validate(path, parsed) };
}

function validate(path: string, raw: unknown): ProjectConfig {
  const fail = (what: string): never => { throw new ConfigError(`${path}: ${what}`); };
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) fail('expected a JSON object');
  const c = raw as Record<string, unknown>;
  for (const key of Object.keys(c)) if (!['rules', 'skipPaths', 'ignore'].includes(key)) fail(`unknown key "${key}"`);
  if (c.rules !== undefined) {
    if (typeof c.rules !== 'object' || c.rules === null) fail('"rules" must map rule ids to off/error/warning/info');
    for (const [id, v] of Object.entries(c.rules as object)) {
      if (!['off', 'error', 'warning', 'info'].includes(v as string)) fail(`rule ${id}: "${String(v)}" is not off/error/warning/info`);
    }
  }
  if (c.skipPaths !== undefined && !(Array.isArray(c.skipPaths) && c.skipPaths.every((p) => typeof p === 'string'))) {
    fail('"skipPaths" must be a list of path globs');
  }
  if (c.ignore !== undefined && !(Array.isArray(c.ignore) && c.ignore.every((i) => i && typeof i.fingerprint === 'string'))) {
    fail('"ignore" must be a list of { rule, path, fingerprint } entries');
  }
  return c as ProjectConfig;
}

/** Rule ids the configuration turns off (they are not even run). */
export function rulesOff(config: ProjectConfig): string[] {
  return Object.entries(config.rules ?? {}).filter(([, v]) => v === 'off').map(([id]) => id.toUpperCase());
}

/** Applies severities, skipped paths and ignored fingerprints to findings. */
export function applyConfig(findings: readonly Finding[], config: ProjectConfig): Finding[] {
  const skip = config.skipPaths?.length ? picomatch(config.skipPaths) : undefined;
  const ignored = new Set((config.ignore ?? []).map((i) => i.fingerprint));
  const severity = new Map(Object.entries(config.rules ?? {}).map(([id, v]) => [id.toUpperCase(), v]));
  return findings
    .filter((f) => !(skip && skip(f.path)) && !ignored.has(f.fingerprint) && severity.get(f.rule) !== 'off')
    .map((f) => {
      const s = severity.get(f.rule);
      return s && s !== 'off' ? { ...f, severity: s } : f;
    });
}

/** Adds an ignore entry for `finding` to the configuration file at `path` (created when missing). */
export function addIgnore(path: string, finding: Pick<Finding, 'rule' | 'path' | 'fingerprint'>, note?: string): void {
  const current = existsSync(path) ? readConfig(path).config : {};
  const ignore = current.ignore ?? [];
  if (!ignore.some((i) => i.fingerprint === finding.fingerprint)) {
    ignore.push({ rule: finding.rule, path: finding.path, fingerprint: finding.fingerprint, ...(note ? { note } : {}) });
  }
  writeFileSync(path, `${JSON.stringify({ ...current, ignore }, null, 2)}\n`);
}
