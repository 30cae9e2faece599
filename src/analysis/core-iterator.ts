/**
 * Copies of the block-core iterators (spec, global trap 1, second bullet). Apart from
 * core-files.ts because it reads the catalogue: the pre-filter uses core-files.ts before the
 * catalogue is loaded (issue 11, start-up).
 */
import { namesWith } from './catalogue.js';
import type { FunctionFacts } from './facts.js';

/** Block-core files and block headers (trap 1 (a)). */
const BLOCK_CORE_PLACES = /(^|\/)(block\/[^/]+\.[ch]|include\/linux\/(blk|bio)[^/]*\.h)$/;
/** Names of the block-core iterator family, as the spec gives them (trap 1 (b)). */
const ITERATOR_FAMILY = /^(__)?blk_\w*map_iter\w*$|^blk_rq_\w*dma_map\w*$|^__blk_rq_map_sg$|^blk_rq_map_integrity_sg$/;
const iteratorPart = (part: string) => namesWith('core-iterator', (r) => r.part === part);
/** Walks over bvecs that are already in a bio or an integrity payload (trap 1 (b)), from the catalogue. */
const BVEC_WALKS = iteratorPart('bvec-walk');
/** Fields whose writes build a bio or integrity payload rather than map it (trap 1 (c)), from the catalogue. */
const BIO_VECTORS = iteratorPart('bio-vector');
/** The mapping-time merge test (trap 1 (d)), from the catalogue. */
const PHYS_MERGE_TESTS = iteratorPart('phys-merge-test');

/** The assignment writes a bio's or integrity payload's vector or flags (`bio->bi_io_vec[i] = ...`, `bio->bi_opf |= ...`). */
export function writesBioVector(a: Pick<FunctionFacts['assignments'][number], 'lhs' | 'lhsExpr'>): boolean {
  const names = [...a.lhs.split(/[^A-Za-z0-9_]+/), ...(a.lhsExpr.text.match(/[A-Za-z_]\w*/g) ?? [])];
  return names.some((f) => BIO_VECTORS.has(f));
}

/** `x += y` or `x = x + y`: the length arithmetic of a merge step (trap 1 (d)). */
function lengthArithmetic(a: FunctionFacts['assignments'][number]): boolean {
  return a.op === '+=' || (a.op === '=' && a.rhs.kind === 'binary' && a.rhs.name === '+' && a.rhs.paths.includes(a.lhs));
}

/**
 * Code copied from an exempt core iterator into another block-core file (spec, global trap 1,
 * criteria (a)-(d)), decided by what the function is: (a) it lives under block/ or in a block
 * header; (b) it walks bvecs already in a bio or integrity payload, or is named like the
 * blk_*map_iter* family; (c) it writes only local outputs, never a bio's vector or flags; (d) its
 * merge step is biovec_phys_mergeable() followed by length arithmetic, or it hands on to another
 * iterator of the family. The engine silences the rules the spec exempts there (R1, R2, R3, R4,
 * R5, R8, R9, R10, R15, R17, R18); the others decide for themselves.
 */
export function isCoreIteratorCopy(path: string, fn: Pick<FunctionFacts, 'name' | 'calls' | 'assignments'>): boolean {
  if (!BLOCK_CORE_PLACES.test(path)) return false;
  const loops = [...fn.calls, ...fn.assignments].flatMap((f) => f.loops ?? []);
  const walks = ITERATOR_FAMILY.test(fn.name) || fn.calls.some((c) => BVEC_WALKS.has(c.name)) || loops.some((l) => BVEC_WALKS.has(l.name));
  const localOnly = !fn.assignments.some(writesBioVector);
  const merges = (fn.calls.some((c) => PHYS_MERGE_TESTS.has(c.name)) && fn.assignments.some(lengthArithmetic)) ||
    fn.calls.some((c) => ITERATOR_FAMILY.test(c.name));
  return walks && localOnly && merges;
}
