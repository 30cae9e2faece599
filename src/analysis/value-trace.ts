import type { Expr, FunctionFacts } from './facts.js';
import { P2P_CARRYING_CALLS } from './p2p-api.js';

/** Page/pfn/phys conversions that keep the memory a value stands for (besides P2P_CARRYING_CALLS). */
const PFN_CONVERSIONS = new Set([
  '__pfn_to_pfn_t', 'pfn_to_pfn_t', 'phys_to_pfn_t', 'page_to_pfn_t', '__phys_to_pfn', 'PFN_PHYS', 'folio_pfn',
  'pfn_to_phys', '__pa', 'virt_to_pfn', 'pfn_t_to_page', 'pfn_t_to_pfn', 'folio_address', 'offset_in_page',
]);

/**
 * Follows a value back to what it was made from: through locals and their assignments, arithmetic
 * and shifts (`virt_to_phys(buf) >> PAGE_SHIFT`), and calls that turn an address, page or pfn into
 * another form of the same memory. `found` names the origins of interest; the first one met wins.
 */
export function traceValue<T>(fn: FunctionFacts, e: Expr, found: (x: Expr) => T | undefined, depth = 4): T | undefined {
  const seen = new Set<string>();
  const walk = (x: Expr, left: number): T | undefined => {
    const hit = found(x);
    if (hit !== undefined) return hit;
    switch (x.kind) {
      case 'binary':
        return x.args.map((a) => walk(a, left)).find((r) => r !== undefined);
      case 'call':
        return isConversion(x.name!) && x.args[0] ? walk(x.args[0], left) : undefined;
      case 'path': {
        if (left === 0 || seen.has(x.name!)) return undefined;
        seen.add(x.name!);
        const sources = fn.assignments.filter((a) => a.lhs === x.name && a.op !== '&=');
        return sources.map((a) => walk(a.rhs, left - 1)).find((r) => r !== undefined);
      }
      default:
        return undefined;
    }
  };
  return walk(e, depth);
}

function isConversion(name: string): boolean {
  return P2P_CARRYING_CALLS.has(name) || PFN_CONVERSIONS.has(name);
}
