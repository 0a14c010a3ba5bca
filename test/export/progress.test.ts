// Export progress: every format tells a listener how many messages it has written, in increasing counts while it
// runs, never more often than asked (~10 a second by default); and listening changes nothing in what is written.

import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { Archive } from '../../app/archive';
import { EXPORT_FORMATS, exportArchive } from '../../app/export';
import { exportHtml } from '../../app/export/html-export';
import { ProgressCounter } from '../../app/export/progress';
import { tempArchive, tempDir } from './helpers';

let archive: Archive;
let dir: string;

beforeAll(async () => {
  ({ archive } = await tempArchive([
    { groupId: '@TGS#first', messages: 700, seed: 21 },
    { groupId: '@TGS#second', name: '第二个群', messages: 500, seed: 22 },
  ]));
  dir = await tempDir();
});

async function files(root: string): Promise<Map<string, string>> {
  const entries = await readdir(root, { withFileTypes: true, recursive: true });
  const out = new Map<string, string>();
  for (const e of entries.filter((x) => x.isFile())) out.set(relative(root, join(e.parentPath, e.name)), await readFile(join(e.parentPath, e.name), 'utf8'));
  return out;
}

describe('export progress', () => {
  it.each(EXPORT_FORMATS)('%s: counts written messages across groups, increasing, up to the total', async (format) => {
    const counts: number[] = [];
    const result = await exportArchive(archive, {
      format,
      out: join(dir, `all-${format}`),
      lang: 'en',
      timeZone: 'UTC',
      onProgress: (n) => counts.push(n),
      progressIntervalMs: 0,
    });
    // Both groups' messages (more than one group's worth), reported as they are written.
    expect(result.messages).toBeGreaterThan(1000);
    expect(counts.length).toBeGreaterThan(10);
    expect(counts.at(-1)!).toBeGreaterThan(700);
    expect(counts.at(-1)!).toBeLessThanOrEqual(result.messages);
    expect(counts.every((n, i) => i === 0 || n > counts[i - 1]!)).toBe(true);
  });

  it('leaves the HTML export byte for byte as without a listener', async () => {
    const opts = { lang: 'zh-CN', timeZone: 'Asia/Shanghai', exportedAt: 1_730_000_000 } as const;
    await exportHtml(archive, join(dir, 'quiet'), opts);
    let calls = 0;
    await exportHtml(archive, join(dir, 'told'), { ...opts, onProgress: () => calls++, progressIntervalMs: 0 });
    expect(calls).toBeGreaterThan(0);
    const [quiet, told] = [await files(join(dir, 'quiet')), await files(join(dir, 'told'))];
    expect([...told.keys()].sort()).toEqual([...quiet.keys()].sort());
    for (const [file, text] of quiet) expect(told.get(file) === text, file).toBe(true);
  });

  it('reports no more often than the interval asks, ~10 a second by default', () => {
    // The counter's clock is replaced by one that moves 0.01 ms per message written, so the test sees what the counter
    // decides and not how busy the machine is.
    let clock = 0;
    const now = vi.spyOn(performance, 'now').mockImplementation(() => clock);
    try {
      const measure = (intervalMs: number | undefined, forMs: number) => {
        const at: number[] = [];
        clock = 0;
        const counter = new ProgressCounter({ onProgress: () => at.push(clock), progressIntervalMs: intervalMs });
        for (let written = 0; clock < forMs; written++) {
          clock = written / 100;
          counter.add();
        }
        return at;
      };
      const every20 = measure(20, 400);
      // Once per 20 ms, give or take the messages between two looks at the clock (one look every 64 messages).
      expect(every20.length).toBeGreaterThanOrEqual(19);
      expect(every20.length).toBeLessThanOrEqual(20);
      expect(every20.every((t, i) => i === 0 || t - every20[i - 1]! >= 20)).toBe(true);
      const byDefault = measure(undefined, 1000);
      expect(byDefault.length).toBeGreaterThanOrEqual(9);
      expect(byDefault.every((t, i) => i === 0 || t - byDefault[i - 1]! >= 100)).toBe(true);
    } finally {
      now.mockRestore();
    }
  });
});
