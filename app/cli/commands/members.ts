import { Archive } from '../../archive';
import { selectGroups, SelectionError } from '../../export/select';
import { groupMembers, type MemberEntry } from '../../people/names';
import { archivePath, type GlobalFlags } from '../config';
import { printJson, printable, table } from '../output';
import { usage, usageFrom } from '../usage';

/** `tim-backup members GROUP_ID`: everyone the archive knows in a group (its topics included), with their names. */
export async function membersCommand(flags: GlobalFlags, args: string[]): Promise<number> {
  if (args.length !== 1) throw usage('members-which');
  const archive = await Archive.open(archivePath(flags), { readOnly: true });
  try {
    let groups;
    try {
      groups = selectGroups(archive, args);
    } catch (err) {
      throw err instanceof SelectionError ? usageFrom(err) : err;
    }
    const report = groups.map((g) => ({ groupId: g.groupId, ...(g.topicId ? { topicId: g.topicId } : {}), members: groupMembers(archive.db, g) }));
    if (flags.json) {
      printJson(report);
      return 0;
    }
    for (const g of report) {
      if (report.length > 1) process.stdout.write(`${printable(g.topicId || g.groupId)}\n`);
      process.stdout.write(`${table(['ACCOUNT', 'NAME', 'ROLE', 'JOINED', 'MESSAGES', 'LAST MESSAGE', 'STATUS', 'EARLIER NAMES'], g.members.map(row))}\n`);
    }
    return 0;
  } finally {
    await archive.close();
  }
}

function row(m: MemberEntry): string[] {
  const day = (seconds: number | undefined) => (seconds === undefined ? '' : new Date(seconds * 1000).toISOString().slice(0, 10));
  const status = m.leftAt !== undefined ? `left (last seen ${day(Math.floor(m.lastSeen! / 1000))})` : m.lastSeen !== undefined ? 'member' : 'not listed';
  const earlier = [...m.history.card.slice(0, -1), ...m.history.nick.slice(0, -1)].map((p) => p.value).filter((v) => v.trim() !== '');
  return [m.account, m.name ?? '', m.role ?? '', day(m.joinTime), String(m.messages), day(m.lastMessage), status, [...new Set(earlier)].join(', ')].map(printable);
}
