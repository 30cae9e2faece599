/**
 * Global false-positive trap 1 of the rule catalog: the core implementations of P2PDMA and the
 * DMA API are exempt from most rules (R6, R7, R13 and R14 still apply to their changes).
 */
const CORE_PATTERNS: RegExp[] = [
  /(^|\/)kernel\/dma\//,
  /(^|\/)drivers\/iommu\/dma-iommu\.c$/,
  /(^|\/)drivers\/iommu\/iommu\.c$/,
  /(^|\/)drivers\/pci\/p2pdma\.c$/,
  /(^|\/)include\/linux\/(pci-p2pdma|dma-mapping|dma-map-ops|scatterlist|memremap)\.h$/,
  /(^|\/)block\/blk-mq-dma\.c$/,
  /(^|\/)block\/bio\.c$/,
  /(^|\/)drivers\/dma-buf\/dma-buf-mapping\.c$/,
  /(^|\/)mm\/gup\.c$/,
  /(^|\/)mm\/hmm\.c$/,
];

export function isCoreFile(path: string): boolean {
  return CORE_PATTERNS.some((p) => p.test(path));
}

/** Paths a rule lists in its own "must not fire" besides the global core list. */
export function matchesAny(path: string, patterns: readonly RegExp[]): boolean {
  return patterns.some((p) => p.test(path));
}

/** Only C sources and headers are analysed; Kconfig, Makefiles, docs and YAML are not C. */
export function isCSource(path: string): boolean {
  return /\.(c|h)$/.test(path);
}

/**
 * Test, mock and selftest code builds fake tables on purpose (spec revision 9: "Test and mock
 * code is recognised"). By path: kernel test directories and file names; by construction: the
 * file registers KUnit cases or suites.
 */
const TEST_PATHS = /(^|\/)(selftests|tests|kunit|mocks?)(\/|$)|(^|\/)(test_[^/]*|[^/]*[_-](test|tests|kunit|selftest|mock))\.c$/;
const TEST_CONSTRUCTS = ['KUNIT_CASE', 'kunit_test_suite', 'kunit_test_suites', 'KUNIT_EXPECT_EQ', 'KUNIT_ASSERT_EQ'];

export function isTestCode(path: string, identifiers: ReadonlySet<string>): boolean {
  return TEST_PATHS.test(path) || TEST_CONSTRUCTS.some((id) => identifiers.has(id));
}

// issue 14 spec revision (global trap 1): copies of the block-core iterators
/** Block-core files and block headers (trap 1 (a)). */
const BLOCK_CORE_PLACES = /(^|\/)(block\/[^/]+\.[ch]|include\/linux\/(blk|bio)[^/]*\.h)$/;
/** Names of the block-core iterator family (trap 1 (b)). */
const ITERATOR_FAMILY = /^(__)?blk_\w*map_iter\w*$|^blk_rq_\w*dma_map\w*$|^__blk_rq_map_sg$|^blk_rq_map_integrity_sg$/;
/** Walks over bvecs that are already in a bio or an integrity payload (trap 1 (b)). */
const BIO_WALKS = new Set(['bio_iter_iovec', 'mp_bvec_iter_bvec', 'bvec_iter_advance', 'bvec_iter_advance_single', 'bio_advance_iter_single']);
/** Writes that build bios rather than map them (trap 1 (c)). */
const BIO_OUTPUTS = /(^|\.)(bi_io_vec|bip_vec|bi_opf)(\[|\.|$)/;

/**
 * Code copied from an exempt core iterator into another block-core file (spec, global trap 1):
 * under block/ or in a block header, walking bvecs already in a bio (or named like the
 * blk_*map_iter* family), writing only local outputs (never bi_io_vec/bip_vec/bi_opf), and
 * merging with biovec_phys_mergeable() or handing on to another iterator of the family.
 */
export function isCoreIteratorCopy(path: string, fn: {
  name: string;
  calls: readonly { name: string }[];
  assignments: readonly { lhs: string }[];
}): boolean {
  if (!BLOCK_CORE_PLACES.test(path)) return false;
  const walks = ITERATOR_FAMILY.test(fn.name) || fn.calls.some((c) => BIO_WALKS.has(c.name));
  const localOnly = !fn.assignments.some((a) => BIO_OUTPUTS.test(a.lhs));
  const merges = fn.calls.some((c) => c.name === 'biovec_phys_mergeable' || ITERATOR_FAMILY.test(c.name));
  return walks && localOnly && merges;
}
// end issue 14 spec revision
