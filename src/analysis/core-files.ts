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
