/**
 * Views of the API catalogue (catalogue.ts) that the analysis and the rules share. Nothing is
 * listed here: every set is derived from the catalogue's rows.
 */
import { TAINTED, namesWith, roleOf } from './catalogue.js';

/** B1: calls whose result is P2P or PCI BAR memory (remaps count: their argument decides). */
export const P2P_SOURCE_CALLS: ReadonlySet<string> = namesWith('source', (r) => TAINTED.has(r.produces) || r.produces === 'remap-of-arg' || r.produces === 'provider');

/** Calls that hand on the memory of their first argument (page of a VA, VA of a page...). */
export const P2P_CARRYING_CALLS: ReadonlySet<string> = namesWith('carrier');

/** Fields through which a P2P container hands on P2P memory (`bv.bv_page`, `sgt->sgl`). */
export const P2P_CARRYING_FIELDS: ReadonlySet<string> = namesWith('carrying-field');

/** GUP/iov_iter flags that let P2P pages in (B1). */
export const P2P_GUP_FLAGS: ReadonlySet<string> = namesWith('gup-flag');

export const GUP_CALLS: ReadonlySet<string> = namesWith('gup-call');

/** B3: page/VA/phys mapping calls that carry no P2P information; value = index of the memory argument. */
export const SINGLE_MAP_CALLS: ReadonlyMap<string, number> = new Map(
  [...namesWith('single-map-sink')].map((n) => [n, roleOf(n, 'single-map-sink')!.memory]),
);

/** Single-map calls whose attrs argument (index) may legitimately carry DMA_ATTR_MMIO (6.18+). */
export const ATTRS_ARG: ReadonlyMap<string, number> = new Map(
  [...namesWith('single-map-sink', (r) => r.attrs !== undefined)].map((n) => [n, roleOf(n, 'single-map-sink')!.attrs!]),
);

/** Whole-list mapping calls (B3/B4): they map or unmap every entry of a scatterlist at once. */
export const LIST_MAP_CALLS: ReadonlySet<string> = namesWith('list-map');
export const LIST_UNMAP_CALLS: ReadonlySet<string> = namesWith('list-unmap');

/** Mappers that take P2P lists into account (pre-6.0 helpers and the RDMA rw wrappers of 5.7-5.19). */
export const P2P_AWARE_LIST_MAPPERS: ReadonlySet<string> = new Set([
  ...namesWith('list-map', (r) => !!r.aware), ...namesWith('list-unmap', (r) => !!r.aware),
]);

/** Plain (P2P-unaware before 6.0) whole-list mapping calls. */
export const PLAIN_LIST_MAP_CALLS: ReadonlySet<string> = namesWith('list-map', (r) => !!r.plain);

/** B2: page-level P2P predicates. */
export const P2P_PAGE_TESTS: ReadonlySet<string> = namesWith('page-predicate');
export const MAP_TYPE_CALLS: ReadonlySet<string> = namesWith('map-type-query');
export const MAP_TYPE_VALUES: ReadonlySet<string> = namesWith('map-type-value');

/** Predicates that say a DMA device can take P2P (R3's dominating checks). */
export const P2P_CAPABILITY_TESTS: ReadonlySet<string> = namesWith('capability-test');
export const QUEUE_P2P_TESTS: ReadonlySet<string> = namesWith('queue-test');
/** Queue feature flags that advertise P2P (`BLK_FEAT_PCI_P2PDMA`, `QUEUE_FLAG_PCI_P2PDMA`); tested on a queue, they are its capability. */
export const ADVERTISEMENT_FLAGS: ReadonlySet<string> = namesWith('advertisement', (r) => r.form === 'flag');

/** Iterator macros whose trailing block is a loop body (the kernel's `for_each` macro convention: syntax recovery only). */
export function isIteratorMacro(name: string): boolean {
  return /(^|_)for_each(_|$)|_foreach(_|$)|^for_each/.test(name);
}

const ENTRY_ITERATORS = namesWith('entry-iterator');
/** Iterators that walk the entries of a scatterlist or the segments of a bio/request. */
export function isEntryIterator(name: string): boolean {
  return ENTRY_ITERATORS.has(name);
}
