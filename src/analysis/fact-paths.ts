import type { FunctionFacts, Loop } from './facts.js';

/**
 * Small queries over a function's facts that the value-flow engine (value-flow.ts) and its
 * over-approximation (may-hold.ts) must answer alike.
 */

/** Array elements are one object: `pages[i]`, `pages[0]` and `pages` share definitions. */
export function norm(path: string): string {
  return path.indexOf('[') < 0 ? path : path.replace(/\[[^\]]*\]/g, '');
}

/** The loops around any of the function's calls, assignments or returns, each once. */
export function loopsOf(fn: FunctionFacts): Loop[] {
  const seen = new Map<string, Loop>();
  for (const c of fn.calls) for (const l of c.loops) seen.set(l.id, l);
  for (const a of fn.assignments) for (const l of a.loops) seen.set(l.id, l);
  for (const r of fn.returns) for (const l of r.loops) seen.set(l.id, l);
  return [...seen.values()];
}
