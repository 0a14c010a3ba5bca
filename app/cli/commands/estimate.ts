import { existsSync, statSync } from 'node:fs';
import { Archive } from '../../archive';
import { listGroups } from '../../engine/directory';
import { estimateBackup } from '../../schedule/estimate';
import { archivePath } from '../config';
import { connect, type ConnectFlags, rateFrom } from '../connect';
import { EXIT } from '../exit';
import { count, formatDuration, printJson, table } from '../output';
import { usage } from '../usage';

/**
 * What `backup` with the same arguments would do, without doing it: it lists the groups (as backup does) and
 * reads the archive if there is one, but stores nothing.
 */
export async function estimateCommand(flags: ConnectFlags, groupIds: string[]): Promise<number> {
  const { client, pacer, sdkAppId } = connect(flags);
  const path = archivePath(flags);
  const archive = existsSync(path) ? await Archive.open(path, { readOnly: true }) : undefined;
  try {
    const listed = await listGroups({ api: client, pacer });
    const wanted = groupIds.length > 0 ? new Set(groupIds) : undefined;
    const unknown = groupIds.filter((id) => !listed.some((g) => g.groupId === id));
    if (unknown.length > 0) throw usage('app-has-no-group', { list: unknown.map((id) => `"${id}"`).join(', ') });
    const estimate = estimateBackup({ groups: listed.filter((g) => !wanted || wanted.has(g.groupId)), sdkAppId, rate: rateFrom(flags), archive });
    if (flags.json) {
      printJson(estimate);
      return EXIT.ok;
    }
    const rows = estimate.perGroup.map((g) => [g.groupId, g.name ?? '', g.messages.toLocaleString('en-US'), g.requests.toLocaleString('en-US')]);
    process.stdout.write(
      `${table(['GROUP', 'NAME', 'MESSAGES TO FETCH', 'REQUESTS'], rows)}\n` +
        `A backup of ${count(estimate.groups, 'group')} would fetch up to ${count(estimate.messages, 'message')} in about ` +
        `${count(estimate.requests, 'request')}: ${formatDuration(estimate.seconds)} at ${estimate.rate} requests per second, ` +
        `and needs about ${megabytes(estimate.diskBytes)} of disk${archive ? ` beside the ${megabytes(statSync(archive.path).size)} the archive takes` : ''}.\n` +
        'Up to: messages that have expired or were deleted at Tencent are not stored.\n',
    );
    return EXIT.ok;
  } finally {
    await archive?.close();
  }
}

function megabytes(bytes: number): string {
  return bytes < 1e6 ? `${Math.ceil(bytes / 1e3)} kB` : `${(bytes / 1e6).toFixed(bytes < 1e8 ? 1 : 0)} MB`;
}
