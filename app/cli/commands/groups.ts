import { listGroups } from '../../engine/directory';
import { connect, type ConnectFlags } from '../connect';
import { count, printJson, table } from '../output';
import { cliWords } from '../words';

export async function groupsCommand(flags: ConnectFlags): Promise<number> {
  const { client, pacer } = connect(flags);
  const groups = await listGroups({
    api: client,
    pacer,
    onPage: (n, total) => process.stderr.isTTY && process.stderr.write(`\rListing groups… ${n}/${total}`),
  });
  if (process.stderr.isTTY) process.stderr.write('\r\x1b[2K');
  if (flags.json) {
    printJson(groups.map(({ info: _info, topics, ...g }) => ({ ...g, ...(topics ? { topics: topics.map(({ info: _t, ...t }) => t) } : {}) })));
    return 0;
  }
  const rows = groups.flatMap((g) => [
    [
      g.groupId,
      g.type ?? '',
      g.name ?? '',
      g.newestSeq !== undefined ? String(g.newestSeq) : '',
      g.error ? `error ${g.error.code}: ${g.error.info}` : g.keepsHistory ? 'yes' : 'no (keeps no history)',
    ],
    // A topic keeps its own history: it is listed under its group, and backed up with it.
    ...(g.topics ?? []).map((t) => [`  ${t.topicId}`, 'topic', t.name ?? '', t.newestSeq !== undefined ? String(t.newestSeq) : '', 'yes']),
  ]);
  const topics = groups.reduce((n, g) => n + (g.topics?.length ?? 0), 0);
  process.stdout.write(`${table(cliWords().groupsHeader, rows)}\n${count(groups.length, 'group')}${topics ? `, ${count(topics, 'topic')}` : ''}\n`);
  return 0;
}
