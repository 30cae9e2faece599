import { r1 } from './r1-sgl-first-entry-homogeneity.js';
import { r2 } from './r2-single-map-api-on-p2p.js';
import { r3 } from './r3-custom-dma-ops.js';
import type { Rule } from './rule.js';

/** The rule catalog, in id order. */
export const RULES: readonly Rule[] = [r1, r2, r3];

export function ruleById(id: string): Rule | undefined {
  const wanted = id.toUpperCase();
  return RULES.find((r) => r.meta.id === wanted || r.meta.slug === id.toLowerCase());
}
