import type { FunctionFacts } from './facts.js';

/**
 * Global false-positive trap 1 of the rule catalog: the core implementations of P2PDMA and the
 * DMA API, exactly the files the spec names. Which rules still apply to changed lines there is
 * each rule's metadata (RuleMeta.checksCoreFiles: R6, R7, R11, R12, R13, R14, R16 and R19).
 */
const CORE_PATTERNS: RegExp[] = [
  /(^|\/)kernel\/dma\//,
  /(^|\/)drivers\/iommu\/dma-iommu\.c$/,
  /(^|\/)drivers\/iommu\/iommu\.c$/,
  /(^|\/)drivers\/pci\/p2pdma\.c$/,
  /(^|\/)include\/linux\/(pci-p2pdma|dma-mapping|dma-map-ops|scatterlist|memremap|blk-mq-dma|bio-integrity|blk-integrity)\.h$/,
  /(^|\/)block\/(blk-mq-dma|bio|bio-integrity|blk-integrity|blk-merge|blk-map)\.c$/,
  /(^|\/)drivers\/dma-buf\/dma-buf(-mapping)?\.c$/,
  /(^|\/)mm\/(gup|hmm|memremap)\.c$/,
];

export function isCoreFile(path: string): boolean {
  return CORE_PATTERNS.some((p) => p.test(path));
}

/**
 * Global trap 8: the P2PDMA provider core (drivers/pci/p2pdma.c, the file the spec names) is not a
 * driver; rules that still apply there carry the core's own contract, never a driver-facing message.
 */
const PROVIDER_CORE = /(^|\/)drivers\/pci\/p2pdma\.c$/;

export function isProviderCore(path: string): boolean {
  return PROVIDER_CORE.test(path);
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
