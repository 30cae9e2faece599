import { r1 } from './r1-sgl-first-entry-homogeneity.js';
import { r2 } from './r2-single-map-api-on-p2p.js';
import { r3 } from './r3-custom-dma-ops.js';
import { r4 } from './r4-topology-unchecked.js';
import { r5 } from './r5-map-type-incomplete.js';
import { r6 } from './r6-unmap-mismatch.js';
import { r7 } from './r7-mmio-without-attr-mmio.js';
import { r8 } from './r8-dma-map-resource-peer-bar.js';
import { r9 } from './r9-open-coded-bus-address.js';
import { r10 } from './r10-cpu-access-iomem.js';
import { r11 } from './r11-gup-flag-gating.js';
import { r12 } from './r12-bio-mixed-merge.js';
import { r13 } from './r13-p2pmem-alloc-free-pairing.js';
import { r14 } from './r14-bar-userspace-mmap.js';
import { r15 } from './r15-zone-device-type-confusion.js';
// R16/R17 dma-buf
import { r16 } from './r16-dmabuf-revoke-contract.js';
import { r17 } from './r17-dmabuf-direct-map-call.js';
// R18/R19 (issue 14)
import { r18 } from './r18-require-coherent-misuse.js';
import { r19 } from './r19-api-migration.js';
import type { Rule } from './rule.js';
import { RULE_TOKENS } from './rule-tokens.js';

/** The rule catalog, in id order. */
export const RULES: readonly Rule[] = [r1, r2, r3, r4, r5, r6, r7, r8, r9, r10, r11, r12, r13, r14, r15,
  // R16/R17 dma-buf
  r16, r17,
  r18, r19, // R18/R19 (issue 14)
];

// the token groups live beside the triggers in rule-tokens.ts, which the pre-filter reads without loading the rules
for (const rule of RULES) {
  rule.meta.requires ??= RULE_TOKENS[rule.meta.id]?.requires;
  rule.meta.requiresExempt ??= RULE_TOKENS[rule.meta.id]?.requiresExempt;
}

export function ruleById(id: string): Rule | undefined {
  const wanted = id.toUpperCase();
  return RULES.find((r) => r.meta.id === wanted || r.meta.slug === id.toLowerCase());
}
