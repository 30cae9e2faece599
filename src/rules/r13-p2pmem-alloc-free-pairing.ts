import { isProviderCore } from '../analysis/core-files.js';
import {
  dominates, errorExits, exclusive, isTested, labelBetween, lineOf, provesNull, releasedOnExit, sameHunk,
} from '../analysis/error-paths.js';
import { firstAdded } from '../analysis/file-analysis.js';
import type { Call, Expr, FunctionFacts, Span } from '../analysis/facts.js';
import type { Rule, RuleContext, RuleReport } from './rule.js';

const ALLOC = 'pci_alloc_p2pmem';
const FREE = 'pci_free_p2pmem';
const SGL_ALLOC = 'pci_p2pmem_alloc_sgl';
const SGL_FREE = 'pci_p2pmem_free_sgl';
const FINDS = new Set(['pci_p2pmem_find', 'pci_p2pmem_find_many']);
const VIRT_TO_BUS = 'pci_p2pmem_virt_to_bus';
/** Frees of ordinary SGLs and buffers: wrong for a pci_p2pmem_alloc_sgl() list. */
const PLAIN_SGL_FREES = new Set(['kfree', 'kvfree', 'sgl_free', 'sgl_free_order', 'sgl_free_n_order', 'sg_free_table']);
/** Calls that only look at a pci_dev; anything else may take over the reference. */
const BORROWS = /^(pci_p2p|pci_alloc_p2pmem|pci_free_p2pmem|pci_name|pci_(info|err|warn|dbg|notice)|dev_(info|err|warn|dbg|notice|name)|pr_|printk|pci_dev_put$)/;
const PAGEMAP_CALLS = new Set(['devm_memremap_pages', 'devm_memunmap_pages', 'memremap_pages', 'memunmap_pages']);
/** Since 5.4 the core embeds its dev_pagemap in struct pci_p2pdma_pagemap. */
const PAGEMAP_CONTAINERS = ['p2p_pgmap', 'pci_p2pdma_pagemap', 'to_p2p_pgmap'];

export const r13: Rule = {
  meta: {
    id: 'R13',
    slug: 'p2pmem-alloc-free-pairing',
    name: 'p2pmem lifetime and pairing errors',
    defaultSeverity: 'warning',
    versions: '4.20+',
    summary: 'pci_alloc_p2pmem()/pci_p2pmem_alloc_sgl()/pci_p2pmem_find() results are not checked, leaked on error paths, or released with the wrong call or arguments.',
    why: 'p2pmem comes from a gen_pool and a percpu ref on the pgmap. Leaks pin the provider and block unbind. Pairings that do not match corrupt the pool.',
    firesWhen: [
      'a pci_alloc_p2pmem() result is used without a NULL check',
      'an error path after pci_alloc_p2pmem returns without pci_free_p2pmem',
      'pci_free_p2pmem is called with a different size or pdev',
      'the SGL from pci_p2pmem_alloc_sgl is freed with kfree/sgl_free/sg_free_table',
      'pci_p2pmem_find* is not followed by pci_dev_put',
      'pci_p2pmem_virt_to_bus() returning 0 is not handled',
      'devm_kfree is called on the wrong object in the p2pdma core',
    ],
    mustNotFire: [
      'paths where ownership is transferred (stored in a struct that has a release function doing pci_free_p2pmem)',
    ],
    fix: 'Pair pci_alloc_p2pmem with pci_free_p2pmem(pdev, addr, size) on every path, use pci_p2pmem_free_sgl() for SGLs, and drop the pci_dev reference returned by pci_p2pmem_find().',
    references: [
      { messageId: '1561420642-21186-1-git-send-email-alan.mikhak@sifive.com', title: '[PATCH] nvme-pci: Avoid leak if pci_p2pmem_virt_to_bus() returns null' },
      { messageId: '1562605511-6564-1-git-send-email-alan.mikhak@sifive.com', title: '[PATCH v2] nvme-pci: Check for null on pci_alloc_p2pmem()' },
      { messageId: '20250820105714.2939896-1-sungho.kim@furiosa.ai', title: '[PATCH] PCI: p2pdma: Fix incorrect pointer usage in devm_kfree() call' },
    ],
    examples: {
      fires: 'buf = pci_alloc_p2pmem(pdev, len);\nmemcpy_toio(buf, src, len);',
      quiet: 'buf = pci_alloc_p2pmem(pdev, len);\nif (!buf)\n\treturn -ENOMEM;\nmemcpy_toio(buf, src, len);',
    },
    triggers: [ALLOC, FREE, SGL_ALLOC, ...FINDS, VIRT_TO_BUS, 'devm_kfree'],
    checksCoreFiles: true,
  },

  check(context) {
    const sglFields = sglFieldsOf(context.functions);
    return context.functions.flatMap((fn) => [
      ...fn.calls.filter((c) => c.name === ALLOC).flatMap((alloc) => [
        ...uncheckedAllocation(fn, alloc),
        ...leakedOnErrorPaths(context, fn, alloc),
      ]),
      ...mismatchedFrees(fn),
      ...plainSglFrees(fn, sglFields),
      ...unreleasedFinds(fn),
      ...uncheckedBusAddresses(fn),
      ...(isProviderCore(context.file.path) ? wrongDevmKfree(context, fn) : []),
    ]).filter((r) => firstAdded(r.span));
  },
};

/** Logging takes a pointer to print it, not to use the memory. */
const LOGGING = /^(pr_[a-z_]+|printk|dev_(info|err|warn|dbg|notice|crit)|pci_(info|err|warn|dbg|notice)(_ratelimited)?|trace_\w+|[A-Z][A-Z0-9]*_(INFO|WARN|ERR|ERROR|DBG|DEBUG|NOTICE|TRACE|LOG)\w*)$/;

/**
 * Facts after `after` that use `path`: a dereference, a call taking it (logging aside), and with
 * `copies` an assignment storing it. A condition or a ternary on it is a check, not a use.
 */
function usesOf(fn: FunctionFacts, path: string, after: number, copies: boolean): { span: Span; text: string }[] {
  const derefs = (e: Expr) => e.paths.some((p) => p.startsWith(`${path}.`));
  const names = (e: Expr): boolean => (e.kind === 'path' && e.name === path) ||
    (e.kind === 'binary' && (e.name === '+' || e.name === '-') && e.args.some(names));
  const calls = fn.calls.filter((c) => c.name !== ALLOC && !c.conditionOf && lineOf(c.span) >= after &&
    (c.args.some(derefs) || (!LOGGING.test(c.name) && c.args.some(names))));
  const assignments = fn.assignments.filter((a) => lineOf(a.span) > after &&
    (derefs(a.rhs) || a.lhs.startsWith(`${path}.`) || (copies && names(a.rhs))));
  return [
    ...calls.map((c) => ({ span: c.span, text: `${c.name}()` })),
    ...assignments.map((a) => ({ span: a.span, text: `${a.lhsExpr.text} ${a.op} ${a.rhs.text}` })),
  ].sort((a, b) => lineOf(a.span) - lineOf(b.span));
}

function uncheckedAllocation(fn: FunctionFacts, alloc: Call): RuleReport[] {
  if (alloc.returned || alloc.conditionOf) return [];
  const target = alloc.assignedTo;
  if (target === undefined) {
    const user = fn.calls.find((c) => c !== alloc && !c.conditionOf && c.args.some((a) => a.callNames.includes(ALLOC)));
    return user ? [nullReport(fn, alloc, `passed straight to ${user.name}()`, alloc.span)] : [];
  }
  if (isTested(fn, target) || fn.returns.some((r) => r.value?.kind === 'path' && r.value.name === target)) return [];
  const use = usesOf(fn, target, lineOf(alloc.span), false)[0];
  if (!use) return [];
  return [nullReport(fn, alloc, `used in ${use.text}`, firstAdded(alloc.span) ? alloc.span : use.span, use.span)];
}

function nullReport(fn: FunctionFacts, alloc: Call, how: string, span: Span, use?: Span): RuleReport {
  return {
    span,
    function: fn.name,
    severity: 'error',
    message: `${ALLOC}(${alloc.args.map((a) => a.text).join(', ')}) may return NULL, and its result${alloc.assignedTo ? ` ${targetText(fn, alloc)}` : ''} is ${how} without a NULL check.`,
    related: use && use !== span ? [{ span: use, message: 'first use' }] : [],
  };
}

/** The result's lvalue as written (`nvmeq->sq_cmds`), not as normalised (`nvmeq.sq_cmds`). */
function targetText(fn: FunctionFacts, call: Call): string {
  return fn.assignments.find((a) => a.lhs === call.assignedTo && a.rhs.callNames.includes(call.name) && a.span.lines[0] === call.span.lines[0])?.lhsExpr.text ??
    call.assignedTo ?? '';
}

/** A local allocation that an error return or goto after it leaves behind. */
function leakedOnErrorPaths(context: RuleContext, fn: FunctionFacts, alloc: Call): RuleReport[] {
  const target = alloc.assignedTo;
  if (target === undefined || target.includes('.') || mayKeep(fn, target)) return [];
  const from = lineOf(alloc.span);
  const frees = (c: Call) => c.name === FREE && c.args[1]?.paths.includes(target) === true;
  const leaks = errorExits(fn).filter((exit) => {
    const at = lineOf(exit.span);
    return at > from && sameHunk(context.file.file, alloc.span, exit.span) && !labelBetween(fn, from, at) &&
      !provesNull(exit.guards, target) && !exclusive(exit.guards, alloc.guards) && !releasedOnExit(fn, exit, from, frees);
  });
  return leaks.map((exit) => ({
    span: exit.span,
    function: fn.name,
    message: `This error path leaves ${fn.name || 'the function'} without ${FREE}() of ${target}, allocated by ${ALLOC}() ` +
      'above; a leaked p2pmem chunk pins the provider and blocks unbind.',
    related: [{ span: alloc.span, message: `${ALLOC}() allocation of ${target}` }],
  }));
}

/** The local is stored elsewhere or returned: somebody else frees it. */
function handedOver(fn: FunctionFacts, local: string): boolean {
  return fn.assignments.some((a) => a.rhs.kind === 'path' && a.rhs.name === local && a.lhs !== local) ||
    fn.returns.some((r) => r.value?.paths.includes(local));
}

/** Calls that only read or translate p2pmem; any other call taking it may keep it (`sg_set_buf()`). */
const MEMORY_BORROWS = /^(memcpy_(to|from)io|memset_io|(ioread|iowrite)(8|16|32|64)\w*|(read|write)[bwlq](_relaxed)?|pci_p2pmem_virt_to_bus|virt_to_(page|phys|pfn)|pci_free_p2pmem|offset_in_page)$/;

function mayKeep(fn: FunctionFacts, local: string): boolean {
  return handedOver(fn, local) || fn.calls.some((c) => c.name !== ALLOC && !MEMORY_BORROWS.test(c.name) && !LOGGING.test(c.name) &&
    c.args.some((a) => a.paths.includes(local)));
}

/** Where the pdev, the memory and the size sit in an allocation and in its release. */
const PAIRS = [
  { alloc: ALLOC, free: FREE, pdev: [0, 0], memory: 1, size: [1, 2] },
  { alloc: SGL_ALLOC, free: SGL_FREE, pdev: [0, 0], memory: 1, size: undefined },
] as const;

/** The release gets another pdev or size than the allocation, or a pdev that is NULL on its path. */
function mismatchedFrees(fn: FunctionFacts): RuleReport[] {
  return PAIRS.flatMap((pair) => fn.calls.filter((c) => c.name === pair.alloc && c.assignedTo !== undefined).flatMap((alloc) => {
    const target = alloc.assignedTo!;
    return fn.calls
      .filter((c) => c.name === pair.free && c.args[pair.memory]?.kind === 'path' && c.args[pair.memory]!.name === target)
      .flatMap((free) => {
        const pdev = alloc.args[pair.pdev[0]];
        const freedPdev = free.args[pair.pdev[1]];
        const nulled = freedPdev ? nullAssignmentBefore(fn, freedPdev, free) : undefined;
        const wrong = [
          nulled ? `pdev ${freedPdev!.text}, which is set to NULL on this path (${nulled.lhsExpr.text} = NULL)` : '',
          !nulled && differs(fn, pdev, freedPdev, true) ? `pdev ${freedPdev!.text} (allocated from ${pdev!.text})` : '',
          pair.size && differs(fn, alloc.args[pair.size[0]], free.args[pair.size[1]], false)
            ? `size ${free.args[pair.size[1]]!.text} (allocated with ${alloc.args[pair.size[0]]!.text})` : '',
        ].filter(Boolean);
        if (wrong.length === 0) return [];
        return [{
          span: free.span,
          function: fn.name,
          // calibration: a free with another pdev or size is certain from the code shown (error)
          severity: 'error' as const,
          message: `${free.name}() of ${free.args[pair.memory]!.text} passes ${wrong.join(' and ')}; ` +
            `the memory must go back to the pool of the pdev and size given to ${alloc.name}().`,
          related: [{ span: alloc.span, message: `${alloc.name}() of ${targetText(fn, alloc)}` }],
        }];
      });
  }));
}

/** The last assignment to `arg` before `call` sets it to NULL and runs whenever the call does. */
function nullAssignmentBefore(fn: FunctionFacts, arg: Expr, call: Call) {
  if (arg.kind !== 'path') return undefined;
  const at = lineOf(call.span);
  const last = fn.assignments.filter((a) => a.lhs === arg.name && lineOf(a.span) < at).sort((a, b) => lineOf(b.span) - lineOf(a.span))[0];
  return last && last.rhs.text === 'NULL' && dominates(last.guards, call.guards) ? last : undefined;
}

/**
 * Two argument texts name different values, and no assignment of the function links them.
 * `sizeof` and other shapes the facts do not break down are never compared.
 */
function differs(fn: FunctionFacts, a: Expr | undefined, b: Expr | undefined, pathsOnly: boolean): boolean {
  if (!a || !b || a.text === b.text) return false;
  const comparable = (e: Expr) => (pathsOnly ? e.kind === 'path' : e.kind !== 'other');
  if (!comparable(a) || !comparable(b)) return false;
  const linked = (x: Expr, y: Expr) => fn.assignments.some((s) => x.paths.includes(s.lhs) && s.rhs.paths.some((p) => y.paths.includes(p)));
  return !linked(a, b) && !linked(b, a);
}

/** Fields (last component) that only pci_p2pmem_alloc_sgl() fills, across the file. */
function sglFieldsOf(functions: readonly FunctionFacts[]): Set<string> {
  const field = (lhs: string) => lhs.slice(lhs.lastIndexOf('.') + 1);
  const fromSgl = new Set<string>();
  const fromOther = new Set<string>();
  for (const fn of functions) {
    for (const a of fn.assignments) {
      if (!a.lhs.includes('.')) continue;
      // the values the store can take: the call itself, or each arm of a `?:` (the calls that end in a.lhs)
      const values = fn.calls.filter((c) => c.assignedTo === a.lhs && c.span.lines.every((l) => a.span.lines.includes(l)));
      const sgl = values.length ? values.some((c) => c.name === SGL_ALLOC) : a.rhs.callNames[0] === SGL_ALLOC;
      if (sgl) fromSgl.add(field(a.lhs));
      if (values.length ? values.some((c) => c.name !== SGL_ALLOC) : !sgl) fromOther.add(field(a.lhs));
    }
  }
  return new Set([...fromSgl].filter((f) => !fromOther.has(f)));
}

function plainSglFrees(fn: FunctionFacts, sglFields: ReadonlySet<string>): RuleReport[] {
  const locals = new Set(fn.calls.filter((c) => c.name === SGL_ALLOC && c.assignedTo && !c.assignedTo.includes('.')).map((c) => c.assignedTo!));
  const p2pFrees = fn.calls.filter((c) => c.name === SGL_FREE);
  return fn.calls.filter((c) => PLAIN_SGL_FREES.has(c.name) && c.args[0]?.kind === 'path').flatMap((free) => {
    const list = free.args[0]!.name!;
    const shown = free.args[0]!.text;
    const isSgl = locals.has(list) || (list.includes('.') && sglFields.has(list.slice(list.lastIndexOf('.') + 1)));
    if (!isSgl || p2pFrees.some((p) => exclusive(p.guards, free.guards))) return [];
    return [{
      span: free.span,
      function: fn.name,
      message: `${free.name}(${shown}) frees a list from ${SGL_ALLOC}(); it must go back with ${SGL_FREE}(pdev, ${shown}), ` +
        'which returns the p2pmem to the provider\'s pool.',
    }];
  });
}

function unreleasedFinds(fn: FunctionFacts): RuleReport[] {
  if (fn.calls.some((c) => c.name === 'pci_dev_put')) return [];
  return fn.calls.filter((c) => FINDS.has(c.name) && !c.returned).flatMap((find) => {
    const target = find.assignedTo;
    if (target !== undefined && (target.includes('.') || referenceKept(fn, target))) return [];
    return [{
      span: find.span,
      function: fn.name,
      message: `${find.name}() returns a referenced pci_dev${target ? ` (${target})` : ''} that ${fn.name || 'this code'} never drops with pci_dev_put().`,
    }];
  });
}

/** The pci_dev reference is stored, returned, or handed to a call that may keep it. */
function referenceKept(fn: FunctionFacts, local: string): boolean {
  return handedOver(fn, local) ||
    fn.calls.some((c) => !BORROWS.test(c.name) && !FINDS.has(c.name) && c.args.some((a) => a.kind === 'path' && a.name === local));
}

function uncheckedBusAddresses(fn: FunctionFacts): RuleReport[] {
  return fn.calls.filter((c) => c.name === VIRT_TO_BUS && !c.returned && !c.conditionOf).flatMap((call) => {
    const target = call.assignedTo;
    if (target === undefined) {
      const user = fn.calls.find((c) => c !== call && !c.conditionOf && c.args.some((a) => a.callNames.includes(VIRT_TO_BUS)));
      return user ? [busReport(fn, call, `is passed straight to ${user.name}()`)] : [];
    }
    if (isTested(fn, target) || !usesOf(fn, target, lineOf(call.span) + 1, true).length) return [];
    return [busReport(fn, call, `is stored in ${target} and used without a check`)];
  });
}

function busReport(fn: FunctionFacts, call: Call, how: string): RuleReport {
  return {
    span: call.span,
    function: fn.name,
    message: `${VIRT_TO_BUS}() returns 0 when the address is not p2pmem of that device, and its result ${how}; ` +
      'a 0 bus address must fail the setup (and free the allocation).',
  };
}

/**
 * p2pdma core: devm_kfree() of the dev_pagemap handed to devm_memremap_pages(), which is a member
 * of the pci_p2pdma_pagemap allocation (or of any `&x->member`), not an allocation of its own.
 */
function wrongDevmKfree(context: RuleContext, fn: FunctionFacts): RuleReport[] {
  const { post, pre } = context.file;
  const embedded = PAGEMAP_CONTAINERS.some((id) => post.identifiers.has(id) || pre.identifiers.has(id));
  return fn.calls.filter((c) => c.name === 'devm_kfree' && c.args[1]?.kind === 'path').flatMap((free) => {
    const object = free.args[1]!.name!;
    const member = fn.assignments.find((a) => a.lhs === object && a.rhs.kind === 'path' && a.rhs.name!.includes('.') && a.rhs.text.startsWith('&'));
    const pagemap = embedded && fn.calls.some((c) => PAGEMAP_CALLS.has(c.name) && c.args.some((a) => a.kind === 'path' && a.name === object));
    if (!member && !pagemap) return [];
    return [{
      span: free.span,
      function: fn.name,
      message: `devm_kfree() is given ${object}, ` +
        (member ? `which points into another allocation (${member.rhs.text})` : 'the dev_pagemap embedded in the pci_p2pdma_pagemap allocation') +
        ', not the pointer devm_kzalloc() returned; free the containing allocation.',
      related: member ? [{ span: member.span, message: `${object} = ${member.rhs.text}` }] : [],
    }];
  });
}
