// Why an export cannot go where it was asked to, in words a person can act on — in the CLI's terms (--out,
// --force) or the desktop app's, in English or Simplified Chinese. The code is stable: scripts (the CLI's --json)
// and the app switch on it, never on the wording.

import { SaidError } from '../errors/said';
import type { Lang } from './i18n';

export type OutputCode =
  /** The archive itself, or a file named after it (its -wal, -shm, .lock, .seal, .shadow, media folder…). */
  | 'is-archive'
  /** An HTML export's folder that holds the archive: replacing the folder would delete it. */
  | 'archive-inside'
  /** An existing file, without --force (or the app's confirmation). */
  | 'exists'
  | 'symlink'
  /** The HTML export was given a file (or device) instead of a folder. */
  | 'not-a-folder'
  /** A single-file format was given a folder. */
  | 'is-folder'
  /** A block device or a socket. */
  | 'not-a-file'
  | 'folder-taken'
  | 'stdout-folder'
  | 'no-folder'
  | 'path-through-file'
  | 'permission'
  | 'read-only'
  | 'disk-full'
  /** A pseudo file system such as /proc or /sys. */
  | 'unsuitable'
  /** The program reading a pipe (or standard output) stopped reading. */
  | 'closed';

export interface OutputFacts {
  path: string;
  archive?: string;
  /** Where a symbolic link points; the file in the way of a path; the folder that does not exist. */
  other?: string;
  /** The export was being written in place (a pipe or device), so part of it may have arrived. */
  inPlace?: boolean;
}

/** How the caller names the destination and the permission to replace a file (the CLI: --out, --force). */
export interface Naming {
  destination: string;
  force?: string;
}

export const APP_NAMING: Record<Lang, Naming> = { en: { destination: 'the destination' }, 'zh-CN': { destination: '目标位置' } };

type Say = (f: OutputFacts, n: Naming) => string;

export const OUTPUT_EN: Record<OutputCode, Say> = {
  'is-archive': (f, n) =>
    `${f.path} is the archive or a file that belongs to it (everything whose name starts with ${f.archive}). An export never writes there${n.force ? `, not even with ${n.force}` : ''}. Choose another name for ${n.destination}.`,
  'archive-inside': (f, n) => `The folder ${f.path} holds the archive ${f.archive}, and an export never replaces it. Choose another folder for ${n.destination}.`,
  exists: (f, n) =>
    n.force
      ? `${f.path} already exists. Choose another name for ${n.destination}, or add ${n.force} to replace it.`
      : `${f.path} already exists. Choose another name, or confirm that it may be replaced.`,
  symlink: (f, n) => `${f.path} is a symbolic link to ${f.other}. Exports never write through a link: name ${f.other} itself as ${n.destination}, or choose another name.`,
  'not-a-folder': (f, n) => `${f.path} is a file, not a folder, and the HTML export writes a folder of pages. Choose a new folder name for ${n.destination}.`,
  'is-folder': (f, n) => `Cannot write ${f.path}: it is a folder, and this format writes one file. Add a file name to ${n.destination}.`,
  'not-a-file': (f, n) => `${f.path} is a disk device or a socket, not a file. Choose a file name for ${n.destination}.`,
  'folder-taken': (f, n) => `The folder ${f.path} already holds other files. Choose a new or empty folder for ${n.destination} (an earlier HTML export there would be replaced).`,
  'stdout-folder': (_f, n) => `The HTML export writes a folder of pages, so it cannot go to standard output. Name a folder as ${n.destination}.`,
  'no-folder': (f, n) => `Cannot write ${f.path}: its folder ${f.other} does not exist. Create the folder first, or change ${n.destination}.`,
  'path-through-file': (f, n) => `Cannot write ${f.path}: ${f.other} is a file, not a folder. Change ${n.destination}.`,
  permission: (f) => `Cannot write ${f.path}: permission denied. Choose a folder you can write to.`,
  'read-only': (f) => `Cannot write ${f.path}: the disk is read-only. Choose another disk.`,
  'disk-full': (f) => `Cannot write ${f.path}: the disk is full. Free some disk space and export again.`,
  unsuitable: (f, n) => `Cannot write ${f.path}: ${f.other} is a system folder (like /proc or /sys) that cannot hold files. Choose a folder on a disk for ${n.destination}.`,
  closed: (f) => `The program reading ${f.path} stopped before the export was complete.`,
};

export const OUTPUT_ZH: Record<OutputCode, Say> = {
  'is-archive': (f, n) =>
    `${f.path} 是归档本身或属于归档的文件（名称以 ${f.archive} 开头的都是）。导出绝不会写入这里${n.force ? `，加上 ${n.force} 也不会` : ''}。请为${n.destination}另选一个名称。`,
  'archive-inside': (f, n) => `文件夹 ${f.path} 里存放着归档 ${f.archive}，导出绝不会替换它。请为${n.destination}另选一个文件夹。`,
  exists: (f, n) =>
    n.force ? `${f.path} 已存在。请为${n.destination}换一个名称，或加上 ${n.force} 替换它。` : `${f.path} 已存在。请换一个名称，或确认可以替换它。`,
  symlink: (f, n) => `${f.path} 是指向 ${f.other} 的符号链接。导出不会通过链接写入：请直接把${n.destination}设为 ${f.other}，或另选一个名称。`,
  'not-a-folder': (f, n) => `${f.path} 是文件，不是文件夹，而 HTML 导出要写入一个包含多个页面的文件夹。请为${n.destination}选择一个新的文件夹名称。`,
  'is-folder': (f, n) => `无法写入 ${f.path}：它是文件夹，而这种格式只写一个文件。请在${n.destination}中加上文件名。`,
  'not-a-file': (f, n) => `${f.path} 是磁盘设备或套接字，不是文件。请为${n.destination}选择一个文件名。`,
  'folder-taken': (f, n) => `文件夹 ${f.path} 里已有其他文件。请为${n.destination}选择一个新的或空的文件夹（之前在那里的 HTML 导出会被替换）。`,
  'stdout-folder': (_f, n) => `HTML 导出会写入一个包含多个页面的文件夹，不能输出到标准输出。请把${n.destination}设为一个文件夹。`,
  'no-folder': (f, n) => `无法写入 ${f.path}：文件夹 ${f.other} 不存在。请先创建该文件夹，或更改${n.destination}。`,
  'path-through-file': (f, n) => `无法写入 ${f.path}：${f.other} 是文件，不是文件夹。请更改${n.destination}。`,
  permission: (f) => `无法写入 ${f.path}：没有权限。请选择一个你有写入权限的文件夹。`,
  'read-only': (f) => `无法写入 ${f.path}：该磁盘是只读的。请选择其他磁盘。`,
  'disk-full': (f) => `无法写入 ${f.path}：磁盘已满。请释放一些磁盘空间后重新导出。`,
  unsuitable: (f, n) => `无法写入 ${f.path}：${f.other} 是系统文件夹（如 /proc、/sys），不能存放文件。请为${n.destination}选择磁盘上的文件夹。`,
  closed: (f) => `读取 ${f.path} 的程序在导出完成前就停止了读取。`,
};

/** Failures found while writing, after the checks: what became of the half-written export. */
const WRITE_FAILURES = new Set<OutputCode>(['no-folder', 'path-through-file', 'permission', 'read-only', 'disk-full', 'unsuitable', 'is-folder', 'closed']);

/** The CLI's flags (--out) stand apart from Chinese characters by a space, as any Latin word does. */
function spaceFlags(text: string): string {
  return text.replace(/([\u4e00-\u9fff])(--[a-z])/gu, '$1 $2').replace(/(--[a-z-]+)([\u4e00-\u9fff])/gu, '$1 $2');
}

function render(code: OutputCode, facts: OutputFacts, lang: Lang, naming: Naming): string {
  const text = lang === 'zh-CN' ? spaceFlags(OUTPUT_ZH[code](facts, naming)) : OUTPUT_EN[code](facts, naming);
  if (!WRITE_FAILURES.has(code)) return text;
  if (facts.inPlace) return `${text}${lang === 'zh-CN' ? '已写入的部分可能不完整。' : ' What was written there may be incomplete.'}`;
  return `${text}${lang === 'zh-CN' ? '没有留下写了一半的文件。' : ' Nothing was left half-written.'}`;
}

/**
 * Where the export cannot be written. `said` is the desktop app's sentence in every language (`message` its
 * English); `naming` words it as the CLI knows the destination.
 */
export class OutputError extends SaidError {
  override name = 'OutputError';

  constructor(
    readonly code: OutputCode,
    readonly facts: OutputFacts,
    options?: ErrorOptions,
  ) {
    super({ en: render(code, facts, 'en', APP_NAMING.en), 'zh-CN': render(code, facts, 'zh-CN', APP_NAMING['zh-CN']) }, options);
  }

  naming(naming: Naming, lang: Lang): string {
    return render(this.code, this.facts, lang, naming);
  }
}
