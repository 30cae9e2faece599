import { parseVersion, type Version } from '../analysis/kernel-era.js';
import type { ProjectConfig, RuleSetting } from '../config/project-config.js';

/** The `p2pcheck.*` settings as every client sends them (workspace/configuration or didChangeConfiguration). */
export interface Settings {
  kernelVersion?: Version;
  /** Per-rule settings from the user's settings, merged over the project's .p2pcheck.json. */
  rules: Record<string, RuleSetting>;
  run: 'onType' | 'onSave';
  onTypeMaxBytes: number;
  debounceMs: number;
}

export const DEFAULT_SETTINGS: Settings = { rules: {}, run: 'onType', onTypeMaxBytes: 1_000_000, debounceMs: 250 };

const RULE_SETTINGS = new Set(['off', 'error', 'warning', 'info']);

/** Reads whatever a client sent; anything malformed falls back to the default. */
export function parseSettings(raw: unknown): Settings {
  const c = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
  const version = typeof c.kernelVersion === 'string' && c.kernelVersion !== 'auto' ? parseVersion(c.kernelVersion) : undefined;
  const rules: Record<string, RuleSetting> = {};
  if (c.rules && typeof c.rules === 'object') {
    for (const [id, v] of Object.entries(c.rules as Record<string, unknown>)) if (typeof v === 'string' && RULE_SETTINGS.has(v)) rules[id] = v as RuleSetting;
  }
  const number = (v: unknown, d: number) => (typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : d);
  return {
    ...(version === undefined ? {} : { kernelVersion: version }),
    rules,
    run: c.run === 'onSave' ? 'onSave' : 'onType',
    onTypeMaxBytes: number(c.onTypeMaxBytes, DEFAULT_SETTINGS.onTypeMaxBytes),
    debounceMs: number(c.debounceMs, DEFAULT_SETTINGS.debounceMs),
  };
}

/** The user's rule settings win over the project file's. */
export function withUserRules(config: ProjectConfig, settings: Settings): ProjectConfig {
  return { ...config, rules: { ...config.rules, ...settings.rules } };
}
