import { listGroups } from '../../engine/directory';
import { connect, type ConnectFlags } from '../connect';
import { count, printJson, table } from '../output';

export async function groupsCommand(flags: ConnectFlags): Promise<number> {
  const { client, pacer } = connect(flags);
  const groups = await listGroups({
    api: client,
    pacer,
    onPage: (n, total) => process.stderr.isTTY && process.stderr.write(`\rListing groups… ${n}/${total}`),
  });
  if (process.stderr.isTTY) process.stderr.write('\r\x1b[2K');
  if (flags.json) {
    printJson(groups.map(({ info: _info, ...g }) => g));
    return 0;
  }
  const rows = groups.map((g) => [
    g.groupId,
    g.type ?? '',
    g.name ?? '',
    g.newestSeq !== undefined ? String(g.newestSeq) : '',
    g.error ? `error ${g.error.code}: ${g.error.info}` : g.keepsHistory ? 'yes' : 'no (keeps no history)',
  ]);
  process.stdout.write(`${table(['GROUP ID', 'TYPE', 'NAME', 'NEWEST SEQ', 'HISTORY'], rows)}\n${count(groups.length, 'group')}\n`);
  return 0;
}
