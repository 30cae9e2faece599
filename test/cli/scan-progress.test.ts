import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { progressLine, scanProgress } from '../../src/cli/scan-progress.js';

const at = (done: number, etaSeconds = 75) => ({ done, total: 31519, findings: 1, filesPerSecond: 812.4, etaSeconds });

describe('scan progress', () => {
  test('one line: files done/total, files/s, findings, time left', () => {
    assert.equal(progressLine(at(1200)), 'p2pcheck: 1200/31519 files, 812 files/s, 1 finding, 1:15 left');
    assert.match(progressLine(at(0, Infinity)), /--:-- left$/);
    assert.match(progressLine(at(5, 3725)), /1:02:05 left$/);
  });

  test('on a TTY: rewritten in place with \\r, at most once an interval, erased at the end', () => {
    const written: string[] = [];
    const progress = scanProgress({ write: (t) => written.push(t), isTTY: true, columns: 40 }, 60_000);
    progress.update(at(1));
    progress.update(at(2));
    progress.update(at(31519));
    progress.done();
    assert.equal(written.length, 3, 'the first update, the last one (done = total), and the erase');
    assert.ok(written[0]!.startsWith('\rp2pcheck: 1/31519') && written[0]!.endsWith('\x1b[K'));
    assert.ok(written[0]!.length <= '\r'.length + 39 + '\x1b[K'.length, 'cut to the terminal width');
    assert.equal(written[2], '\r\x1b[K');
  });

  test('a terminal of unknown size (columns 0) gets 80 columns', () => {
    const written: string[] = [];
    scanProgress({ write: (t) => written.push(t), isTTY: true, columns: 0 }).update(at(31519));
    assert.equal(written[0], `\r${progressLine(at(31519))}\x1b[K`);
  });

  test('nothing when standard error is not a TTY', () => {
    const written: string[] = [];
    const progress = scanProgress({ write: (t) => written.push(t), isTTY: false });
    progress.update(at(31519));
    progress.done();
    assert.deepEqual(written, []);
  });
});
