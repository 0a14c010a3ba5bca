// Issue 16, findings 1–3, 5 and 6: an export never destroys a file. Every hostile destination, for every format,
// through the CLI's own main() (a child process where the process itself matters: standard output, a hang).

import { execFileSync, spawn } from 'node:child_process';
import { link, lstat, mkdir, readFile, readdir, readlink, stat, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { Archive } from '../../app/archive';
import { runCli, runMain, startCli } from '../cli/run-cli';
import { mountTmpfs } from '../archive/helpers';
import { fillArchive } from './fixtures';
import { tempDir } from './helpers';

const FORMATS = ['jsonl', 'csv', 'txt', 'html'] as const;
const FILE_FORMATS = ['jsonl', 'csv', 'txt'] as const;

let dir: string;
let archivePath: string;
let archiveBytes: Buffer;

beforeAll(async () => {
  dir = await tempDir();
  archivePath = join(dir, 'archive.sqlite');
  const archive = await Archive.open(archivePath, { create: true });
  fillArchive(archive, [{ groupId: '@TGS#dest', name: 'Dest 群', messages: 120 }]);
  await archive.close();
  archiveBytes = await readFile(archivePath);
});

interface JsonFailure {
  error: { code: string; message: string; exitCode: number };
}

const exportTo = (format: string, out: string, ...more: string[]) => runMain(['export', '--archive', archivePath, '--format', format, '--out', out, '--lang', 'en', ...more]);

async function refused(format: string, out: string, code: string, ...more: string[]): Promise<string> {
  const r = await exportTo(format, out, '--json', ...more);
  expect(r.code, `${format} → ${out}: ${r.stdout}`).toBe(1);
  const body = JSON.parse(r.stdout) as JsonFailure;
  expect(body.error.code, body.error.message).toBe(code);
  expect(body.error.exitCode).toBe(1);
  return body.error.message;
}

async function listing(folder: string): Promise<string[]> {
  return (await readdir(folder)).sort();
}

describe('finding 1: the archive and its own files are never an export destination', () => {
  it('refuses the archive, its side files and anything named after it, in every format, even with --force', async () => {
    const sides = ['-wal', '-shm', '.lock', '.seal', '.shadow', '.media', '.jsonl'];
    await mkdir(`${archivePath}.media`);
    for (const s of ['-wal', '-shm', '.seal']) await writeFile(`${archivePath}${s}`, `side file ${s}`);
    const before = await listing(dir);
    for (const format of FORMATS) {
      for (const target of [archivePath, ...sides.map((s) => `${archivePath}${s}`)]) {
        for (const force of [[], ['--force']]) {
          const message = await refused(format, target, 'destination-is-archive', ...force);
          expect(message).toContain(`An export never writes there${force.length ? ', not even with --force' : ''}`);
        }
      }
    }
    expect(await readFile(archivePath)).toEqual(archiveBytes);
    expect(await readFile(`${archivePath}-wal`, 'utf8')).toBe('side file -wal');
    expect(await listing(dir)).toEqual(before);
  });

  it('refuses the archive reached by a relative path, a symbolic link or a hard link', async () => {
    const hard = join(dir, 'hard-link.jsonl');
    await link(archivePath, hard);
    const soft = join(dir, 'soft-link.csv');
    await symlink(archivePath, soft);
    const cwd = process.cwd();
    process.chdir(dir);
    try {
      await refused('jsonl', 'archive.sqlite', 'destination-is-archive', '--force');
    } finally {
      process.chdir(cwd);
    }
    await refused('jsonl', hard, 'destination-is-archive', '--force');
    await refused('csv', soft, 'destination-is-archive', '--force');
    expect(await readFile(archivePath)).toEqual(archiveBytes);
  });

  it('refuses an HTML folder that holds the archive, even one with an earlier export in it', async () => {
    await writeFile(join(dir, 'index.html'), '<meta name="generator" content="TIM Group Backup">');
    const message = await refused('html', dir, 'destination-archive-inside');
    expect(message).toBe(`The folder ${dir} holds the archive ${archivePath}, and an export never replaces it. Choose another folder for --out.`);
    expect(await readFile(archivePath)).toEqual(archiveBytes);
  });
});

describe('finding 1: a file the export did not create is replaced only with --force', () => {
  it.each(FILE_FORMATS)('%s: refuses an existing file, replaces it with --force', async (format) => {
    const out = join(dir, `mine.${format}`);
    await writeFile(out, 'precious');
    const message = await refused(format, out, 'destination-exists');
    expect(message).toBe(`${out} already exists. Choose another name for --out, or add --force to replace it.`);
    expect(await readFile(out, 'utf8')).toBe('precious');
    const forced = await exportTo(format, out, '--force');
    expect(forced.code, forced.stderr).toBe(0);
    expect(await readFile(out, 'utf8')).not.toBe('precious');
    expect((await listing(dir)).filter((f) => f.includes('.partial-'))).toEqual([]);
  });

  it('html: refuses a file, and a folder holding other files, with or without --force', async () => {
    const file = join(dir, 'a-file');
    await writeFile(file, 'precious');
    for (const force of [[], ['--force']]) await refused('html', file, 'destination-not-a-folder', ...force);
    const folder = join(dir, 'other-files');
    await mkdir(folder);
    await writeFile(join(folder, 'notes.txt'), 'mine');
    for (const force of [[], ['--force']]) await refused('html', folder, 'destination-folder-taken', ...force);
    expect(await readFile(file, 'utf8')).toBe('precious');
    expect(await listing(folder)).toEqual(['notes.txt']);
  });
});

describe('finding 2: links, pipes and devices are not replaced', () => {
  it.each(FORMATS)('%s: refuses a symbolic link, naming its target, and leaves link and target alone', async (format) => {
    const target = join(dir, `target-${format}`);
    if (format === 'html') await mkdir(target);
    else await writeFile(target, 'target content');
    const linkPath = join(dir, `link-${format}`);
    await symlink(target, linkPath);
    for (const force of [[], ['--force']]) {
      const message = await refused(format, linkPath, 'destination-symlink', ...force);
      expect(message).toBe(`${linkPath} is a symbolic link to ${target}. Exports never write through a link: name ${target} itself as --out, or choose another name.`);
    }
    expect((await lstat(linkPath)).isSymbolicLink()).toBe(true);
    expect(await readlink(linkPath)).toBe(target);
    if (format !== 'html') expect(await readFile(target, 'utf8')).toBe('target content');
  });

  it.each(FILE_FORMATS)('%s: writes into a named pipe, which stays a pipe', async (format) => {
    const fifo = join(dir, `pipe-${format}`);
    execFileSync('mkfifo', [fifo]);
    const reader = spawn('cat', [fifo], { stdio: ['ignore', 'pipe', 'inherit'] });
    const chunks: Buffer[] = [];
    reader.stdout.on('data', (c: Buffer) => chunks.push(c));
    const closed = new Promise((resolve) => reader.on('close', resolve));
    const r = await exportTo(format, fifo);
    expect(r.code, r.stderr).toBe(0);
    await closed;
    const viaFile = join(dir, `via-file.${format}`);
    expect((await exportTo(format, viaFile)).code).toBe(0);
    if (format !== 'txt') expect(Buffer.concat(chunks)).toEqual(await readFile(viaFile));
    else expect(Buffer.concat(chunks).toString('utf8')).toContain('Dest 群');
    expect((await lstat(fifo)).isFIFO()).toBe(true);
    await refused('html', fifo, 'destination-not-a-folder');
  });

  it.each(FILE_FORMATS)('%s: writes into /dev/null and says /dev/full is full, both staying devices', async (format) => {
    const r = await exportTo(format, '/dev/null');
    expect(r.code, r.stderr).toBe(0);
    expect((await lstat('/dev/null')).isCharacterDevice()).toBe(true);
    const full = await exportTo(format, '/dev/full', '--json');
    expect(full.code).toBe(1);
    expect((JSON.parse(full.stdout) as JsonFailure).error).toMatchObject({ code: 'destination-disk-full', message: expect.stringContaining('Cannot write /dev/full: the disk is full') as string });
    expect((await lstat('/dev/full')).isCharacterDevice()).toBe(true);
  });

  it('says so when the program reading standard output stops early (a real process, | head)', async () => {
    const big = join(dir, 'big.sqlite');
    const archive = await Archive.open(big, { create: true });
    fillArchive(archive, [{ groupId: '@TGS#big', messages: 3000 }]);
    await archive.close();
    const { child, done } = startCli(['export', '--archive', big, '--format', 'jsonl', '--out', '-'], {});
    child.stdout!.once('data', () => child.stdout!.destroy());
    const r = await done;
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('tim-backup: The program reading standard output stopped before the export was complete. What was written there may be incomplete.\n');
  });

  it('html: refuses a device', async () => {
    await refused('html', '/dev/null', 'destination-not-a-folder', '--force');
    expect((await lstat('/dev/null')).isCharacterDevice()).toBe(true);
  });

  it('--out - writes the single-file formats to standard output (a real process), not to a file named "-"', async () => {
    for (const format of FILE_FORMATS) {
      const r = await runCli(['export', '--archive', archivePath, '--format', format, '--out', '-', '--lang', 'en'], { TZ: 'UTC' });
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toBe('Wrote 120 messages from 1 group to standard output\n');
      const viaFile = join(dir, `stdout-check.${format}`);
      expect((await runCli(['export', '--archive', archivePath, '--format', format, '--out', viaFile, '--lang', 'en'], { TZ: 'UTC' })).code).toBe(0);
      if (format !== 'txt') expect(r.stdout).toBe(await readFile(viaFile, 'utf8'));
      else expect(r.stdout).toContain('Dest 群');
    }
    await expect(stat(join(process.cwd(), '-'))).rejects.toThrow(/ENOENT/u);
    const html = await exportTo('html', '-', '--json');
    expect(html.code).toBe(2);
    expect((JSON.parse(html.stdout) as JsonFailure).error.code).toBe('destination-stdout-folder');
    const both = await exportTo('jsonl', '-', '--json');
    expect(both.code).toBe(2);
    expect((JSON.parse(both.stdout) as JsonFailure).error.code).toBe('usage');
  });
});

describe('finding 3 and 5: unsuitable, missing and unwritable destinations get a clear error at once', () => {
  it.each(FORMATS)('%s: /proc/1/x is refused within a second (the HTML export used to spin forever)', async (format) => {
    const started = performance.now();
    const message = await refused(format, '/proc/1/x', 'destination-unsuitable');
    expect(performance.now() - started).toBeLessThan(1000);
    expect(message).toMatch(/^Cannot write \/proc\/1\/x: \/proc\/1 is a system folder \(like \/proc or \/sys\) that cannot hold files\. Choose a folder on a disk for --out\./u);
  });

  it.each(FORMATS)('%s: a path through a file names the file, with no raw error', async (format) => {
    const message = await refused(format, '/etc/passwd/x.out', 'destination-path-through-file');
    expect(message).toBe('Cannot write /etc/passwd/x.out: /etc/passwd is a file, not a folder. Change --out. Nothing was left half-written.');
    const deeper = await refused(format, '/etc/passwd/a/b/x.out', 'destination-path-through-file');
    expect(deeper).toContain('/etc/passwd is a file, not a folder');
  });

  it.each(FORMATS)('%s: a read-only drive is called read-only', async (format) => {
    const ro = await mountTmpfs('ro,size=1m');
    if (!ro) return;
    const message = await refused(format, join(ro, `x.${format}`), 'destination-read-only');
    expect(message).toBe(`Cannot write ${join(ro, `x.${format}`)}: the disk is read-only. Choose another disk. Nothing was left half-written.`);
  });

  it.each(FORMATS)('%s: a full drive is called full, and nothing is left behind', async (format) => {
    const small = await mountTmpfs('size=16k');
    if (!small) return;
    await writeFile(join(small, 'filler'), Buffer.alloc(12 * 1024));
    const out = join(small, `x.${format}`);
    const message = await refused(format, out, 'destination-disk-full');
    expect(message).toContain('the disk is full. Free some disk space and export again. Nothing was left half-written.');
    expect(await readdir(small)).toEqual(['filler']);
  });
});

describe('finding 6: an interrupted export leaves nothing behind for long', () => {
  /** The PID of a process that has exited (and been reaped), as a killed export's would be. */
  function deadPid(): number {
    return Number(execFileSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }));
  }

  it('removes a killed export\'s temporary folder or file at the next export to the same place, not a running one\'s', async () => {
    const html = join(dir, 'leftover-html');
    const dead = deadPid();
    await mkdir(`${html}.partial-${dead}`);
    await writeFile(join(`${html}.partial-${dead}`, 'index.html'), 'half');
    const running = `${html}.partial-${process.ppid}`;
    await mkdir(running);
    const r = await exportTo('html', html);
    expect(r.code, r.stderr).toBe(0);
    const names = (await readdir(dir)).filter((f) => f.startsWith('leftover-html'));
    expect(names.sort()).toEqual(['leftover-html', `leftover-html.partial-${process.ppid}`]);

    const file = join(dir, 'leftover.jsonl');
    await writeFile(`${file}.partial-${dead}`, 'half');
    expect((await exportTo('jsonl', file)).code).toBe(0);
    expect((await readdir(dir)).filter((f) => f.startsWith('leftover.jsonl'))).toEqual(['leftover.jsonl']);
  });

  it('a real HTML export killed with SIGKILL half-way: the next export to the same place removes its folder', async () => {
    const big = join(dir, 'killed.sqlite');
    const archive = await Archive.open(big, { create: true });
    fillArchive(archive, [{ groupId: '@TGS#killed', messages: 4000 }]);
    await archive.close();
    const out = join(dir, 'killed-html');
    const { child, done } = startCli(['export', '--archive', big, '--format', 'html', '--out', out], {});
    const partial = `${out}.partial-${child.pid}`;
    for (let i = 0; i < 6000 && !(await stat(join(partial, 'groups')).then(() => true, () => false)); i++) await new Promise((r) => setTimeout(r, 5));
    child.kill('SIGKILL');
    expect((await done).signal).toBe('SIGKILL');
    expect((await readdir(dir)).filter((f) => f.startsWith('killed-html'))).toEqual([`killed-html.partial-${child.pid}`]);
    const again = await runMain(['export', '--archive', big, '--format', 'html', '--out', out]);
    expect(again.code, again.stderr).toBe(0);
    expect((await readdir(dir)).filter((f) => f.startsWith('killed-html'))).toEqual(['killed-html']);
  });

  it('puts back an earlier HTML export that a killed export had moved aside', async () => {
    const html = join(dir, 'moved-aside');
    const dead = deadPid();
    await mkdir(`${html}.old-${dead}`);
    await writeFile(join(`${html}.old-${dead}`, 'index.html'), '<meta name="generator" content="TIM Group Backup">');
    expect((await exportTo('html', html)).code).toBe(0);
    expect((await readdir(dir)).filter((f) => f.startsWith('moved-aside'))).toEqual(['moved-aside']);
    expect(await readFile(join(html, 'index.html'), 'utf8')).toContain('Dest 群');
  });
});

describe('finding 5: plain words', () => {
  it('counts one group as one group', async () => {
    const r = await exportTo('jsonl', join(dir, 'plural.jsonl'));
    expect(r.stdout).toBe(`Wrote 120 messages from 1 group to ${join(dir, 'plural.jsonl')}\n`);
  });
});
