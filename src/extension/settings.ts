import * as vscode from 'vscode';
import { parseVersion, type Version } from '../analysis/kernel-era.js';
import type { ProjectConfig, RuleSetting } from '../config/project-config.js';

export interface Settings {
  kernelVersion?: Version;
  /** Per-rule settings from the user's settings, merged over the project's .p2pcheck.json. */
  rules: Record<string, RuleSetting>;
  run: 'onType' | 'onSave';
  onTypeMaxBytes: number;
  debounceMs: number;
}

export function readSettings(scope?: vscode.Uri): Settings {
  const c = vscode.workspace.getConfiguration('p2pcheck', scope);
  const version = c.get<string>('kernelVersion', 'auto');
  return {
    kernelVersion: version === 'auto' ? undefined : parseVersion(version),
    rules: c.get<Record<string, RuleSetting>>('rules', {}),
    run: c.get<'onType' | 'onSave'>('run', 'onType'),
    onTypeMaxBytes: c.get<number>('onTypeMaxBytes', 1_000_000),
    debounceMs: c.get<number>('debounceMs', 250),
  };
}

/** The user's rule settings win over the project file's. */
export function withUserRules(config: ProjectConfig, settings: Settings): ProjectConfig {
  return { ...config, rules: { ...config.rules, ...settings.rules } };
}
