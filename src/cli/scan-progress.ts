import type { ScanProgress } from '../engine/parallel-scan.js';

/** Where progress goes: standard error, and whether it is a terminal. */
export interface ProgressStream {
  write: (text: string) => void;
  isTTY: boolean;
  /** Terminal width; the line is cut to it so that \r rewrites it in place. */
  columns?: number;
}

export interface ProgressReporter {
  update: (progress: ScanProgress) => void;
  /** Erases the line, so that what follows starts clean. */
  done: () => void;
}

const SILENT: ProgressReporter = { update: () => undefined, done: () => undefined };

/** One line rewritten in place: files done/total, files/s, findings, time left. Nothing when not a TTY. */
export function scanProgress(stream: ProgressStream, intervalMs = 200): ProgressReporter {
  if (!stream.isTTY) return SILENT;
  let last = -Infinity;
  let shown = false;
  return {
    update(progress) {
      const now = performance.now();
      if (now - last < intervalMs && progress.done < progress.total) return;
      last = now;
      shown = true;
      const width = (stream.columns && stream.columns > 20 ? stream.columns : 80) - 1; // 0 when the terminal size is unknown
      stream.write(`\r${progressLine(progress).slice(0, width)}\x1b[K`);
    },
    done() {
      if (shown) stream.write('\r\x1b[K');
      shown = false;
    },
  };
}

export function progressLine(p: ScanProgress): string {
  const rate = p.filesPerSecond >= 10 ? Math.round(p.filesPerSecond) : p.filesPerSecond.toFixed(1);
  const findings = `${p.findings} finding${p.findings === 1 ? '' : 's'}`;
  return `p2pcheck: ${p.done}/${p.total} files, ${rate} files/s, ${findings}, ${duration(p.etaSeconds)} left`;
}

function duration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '--:--';
  const s = Math.ceil(seconds);
  const two = (v: number) => String(v).padStart(2, '0');
  const h = Math.floor(s / 3600);
  const m = Math.floor(s / 60) % 60;
  return h ? `${h}:${two(m)}:${two(s % 60)}` : `${m}:${two(s % 60)}`;
}
