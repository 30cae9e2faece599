/**
 * The metamorphic harness's model of a rule case: a `.c` file (one chunk, every line added) or a
 * patch (files of hunks; each hunk's post-image is a chunk). Transformations rewrite chunks; the
 * document is then written back as a `.c` file or a unified diff that the real CLI path reads.
 */

export type Kind = ' ' | '+';

/** A C region: the post-image lines of a hunk, or a whole .c file. */
export interface Chunk {
  lines: string[];
  kinds: Kind[];
  /** removed[i]: the '-' lines written just before post line i; removed[lines.length]: after the last. */
  removed: string[][];
  oldStart: number;
  newStart: number;
  /** Text after the second `@@` of the hunk header (git's function context). */
  context: string;
  /** Post-image size of the hunk in the case as written (to shift later hunks). */
  origNew: number;
}

export interface FileDoc {
  header: string[];
  /** Target path (b/ side) for diffs; the case file's own name for .c documents. */
  path: string;
  isNew: boolean;
  chunks: Chunk[];
  /** Top-level definitions a transformation adds to this file (helpers, macros, structs). */
  top: string[];
}

export interface Doc {
  kind: 'c' | 'patch';
  preamble: string[];
  files: FileDoc[];
  trailer: string[];
}

export function cDoc(text: string, path: string): Doc {
  const lines = splitLines(text);
  return {
    kind: 'c',
    preamble: [],
    files: [{ header: [], path, isNew: true, top: [], chunks: [{ lines, kinds: lines.map(() => '+'), removed: lines.map((): string[] => []).concat([[]]), oldStart: 0, newStart: 1, context: '', origNew: lines.length }] }],
    trailer: [],
  };
}

function splitLines(text: string): string[] {
  const lines = text.split('\n');
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return lines;
}

const HUNK = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@(.*)$/;

export function parsePatch(text: string): Doc {
  const lines = splitLines(text);
  const doc: Doc = { kind: 'patch', preamble: [], files: [], trailer: [] };
  let i = 0;
  const isFileStart = (k: number) => lines[k].startsWith('diff --git ') || (lines[k].startsWith('--- ') && lines[k + 1]?.startsWith('+++ ') && !lines[k - 1]?.startsWith('index ') && !lines[k - 1]?.startsWith('diff --git') && !/^(new|deleted) file mode/.test(lines[k - 1] ?? ''));
  while (i < lines.length && !isFileStart(i)) doc.preamble.push(lines[i++]);
  while (i < lines.length) {
    if (!isFileStart(i)) {
      // text after the last hunk of a file (a signature): keep it with the document's trailer
      doc.trailer.push(lines[i++]);
      continue;
    }
    const file: FileDoc = { header: [], path: '', isNew: false, chunks: [], top: [] };
    while (i < lines.length && !HUNK.test(lines[i])) {
      const l = lines[i];
      if (file.header.length > 0 && isFileStart(i)) break;
      file.header.push(l);
      if (l.startsWith('+++ ')) file.path = l.slice(4).replace(/^b\//, '').replace(/\t.*$/, '');
      if (l.startsWith('--- /dev/null')) file.isNew = true;
      i++;
    }
    while (i < lines.length && HUNK.test(lines[i])) {
      const m = HUNK.exec(lines[i])!;
      i++;
      let oldLeft = m[2] === undefined ? 1 : Number(m[2]);
      let newLeft = m[4] === undefined ? 1 : Number(m[4]);
      const chunk: Chunk = { lines: [], kinds: [], removed: [[]], oldStart: Number(m[1]), newStart: Number(m[3]), context: m[5], origNew: 0 };
      while (i < lines.length && (oldLeft > 0 || newLeft > 0)) {
        const l = lines[i];
        const tag = l[0] ?? ' ';
        const body = l.slice(1);
        if (tag === '\\') { i++; continue; }
        if (tag === '-') { chunk.removed[chunk.lines.length].push(body); oldLeft--; }
        else if (tag === '+') { chunk.lines.push(body); chunk.kinds.push('+'); chunk.removed.push([]); newLeft--; }
        else if (tag === ' ' || l === '') { chunk.lines.push(body); chunk.kinds.push(' '); chunk.removed.push([]); oldLeft--; newLeft--; }
        else break;
        i++;
      }
      while (i < lines.length && lines[i].startsWith('\\')) i++;
      chunk.origNew = chunk.lines.length;
      file.chunks.push(chunk);
    }
    doc.files.push(file);
  }
  return doc;
}

export function cloneDoc(doc: Doc): Doc {
  return structuredClone(doc);
}

/** The document as the CLI reads it: a .c file, or a unified diff (hunk headers recomputed). */
export function writeDoc(doc: Doc): string {
  if (doc.kind === 'c') {
    const f = doc.files[0];
    return [...f.top, ...f.chunks[0].lines].join('\n') + '\n';
  }
  const out: string[] = [...doc.preamble];
  for (const file of doc.files) out.push(...writeFile(file));
  out.push(...doc.trailer);
  return out.join('\n') + '\n';
}

function writeFile(file: FileDoc): string[] {
  const out: string[] = [...file.header];
  let shift = 0;
  const chunks = file.chunks.map((c) => ({ ...c }));
  if (file.top.length > 0) {
    if (file.isNew && chunks.length === 1) {
      const c = chunks[0];
      chunks[0] = { ...c, lines: [...file.top, ...c.lines], kinds: [...file.top.map((): Kind => '+'), ...c.kinds], removed: [...file.top.map((): string[] => []), ...c.removed] };
    } else {
      out.push(`@@ -0,0 +1,${file.top.length} @@`);
      out.push(...file.top.map((l) => `+${l}`));
      shift += file.top.length;
    }
  }
  for (const c of chunks) {
    let oldCount = 0;
    const body: string[] = [];
    c.lines.forEach((l, k) => {
      for (const r of c.removed[k] ?? []) { body.push(`-${r}`); oldCount++; }
      body.push(`${c.kinds[k]}${l}`);
      if (c.kinds[k] === ' ') oldCount++;
    });
    for (const r of c.removed[c.lines.length] ?? []) { body.push(`-${r}`); oldCount++; }
    const newCount = c.lines.length;
    const newStart = newCount === 0 ? Math.max(0, c.newStart + shift - 1) : c.newStart + shift;
    out.push(`@@ -${c.oldStart},${oldCount} +${newStart},${newCount} @@${c.context}`);
    out.push(...body);
    shift += newCount - c.origNew;
  }
  return out;
}

/** Rebuild of a hunk after its post-image text changed: lines kept (LCS) keep their kind. */
export function rebuildChunk(chunk: Chunk, newLines: string[]): Chunk {
  const a = chunk.lines;
  const b = newLines;
  const n = a.length;
  const m = b.length;
  const dp: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--) for (let j = m - 1; j >= 0; j--) dp[i][j] = a[i] === b[j] ? dp[i + 1][j + 1] + 1 : Math.max(dp[i + 1][j], dp[i][j + 1]);
  const out: Chunk = { ...chunk, lines: [], kinds: [], removed: [[]] };
  let pending: string[] = [];
  let i = 0;
  let j = 0;
  const emit = (text: string, kind: Kind) => {
    out.removed[out.lines.length].push(...pending);
    pending = [];
    out.lines.push(text);
    out.kinds.push(kind);
    out.removed.push([]);
  };
  while (i < n || j < m) {
    if (i < n && j < m && a[i] === b[j]) {
      pending.push(...chunk.removed[i]);
      emit(b[j], chunk.kinds[i]);
      i++;
      j++;
    } else if (j < m && (i >= n || dp[i][j + 1] > dp[i + 1][j])) {
      emit(b[j], '+');
      j++;
    } else {
      pending.push(...chunk.removed[i]);
      if (chunk.kinds[i] === ' ') pending.push(a[i]);
      i++;
    }
  }
  pending.push(...chunk.removed[n]);
  out.removed[out.lines.length].push(...pending);
  return out;
}

export function newFileHeader(path: string): string[] {
  return [`diff --git a/${path} b/${path}`, 'new file mode 100644', 'index 0000000..1111111', '--- /dev/null', `+++ b/${path}`];
}

/** A new file of a patch holding `lines`, all added. */
export function newFile(path: string, lines: string[]): FileDoc {
  return { header: newFileHeader(path), path, isNew: true, top: [], chunks: [{ lines: [...lines], kinds: lines.map((): Kind => '+'), removed: lines.map((): string[] => []).concat([[]]), oldStart: 0, newStart: 1, context: '', origNew: lines.length }] };
}

/** A .c case as a one-file patch that adds the file (the same code, every line added). */
export function cAsPatch(doc: Doc, path: string): Doc {
  if (doc.kind !== 'c') return cloneDoc(doc);
  const f = doc.files[0];
  const file = newFile(path, [...f.top, ...f.chunks[0].lines]);
  return { kind: 'patch', preamble: ['Subject: [PATCH] metamorphic variant', '', '---'], files: [file], trailer: [] };
}
