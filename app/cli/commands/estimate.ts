import { existsSync, statSync } from 'node:fs';
import { Archive } from '../../archive';
import { listGroups } from '../../engine/directory';
import { estimateBackup, sampleNewest } from '../../schedule/estimate';
import { type MediaFlags, mediaPolicyFrom } from '../media-flags';
import { archivePath } from '../config';
import { connect, type ConnectFlags, rateFrom } from '../connect';
import { EXIT } from '../exit';
import { count, formatDuration, printJson, table } from '../output';
import { usage } from '../usage';

/**
 * What `backup` with the same arguments would do, without doing it: it lists the groups (as backup does) and
 * reads the archive if there is one, but stores nothing.
 */
export async function estimateCommand(flags: ConnectFlags & MediaFlags, groupIds: string[]): Promise<number> {
  const media = mediaPolicyFrom(flags);
  const { client, pacer, sdkAppId } = connect(flags);
  const path = archivePath(flags);
  const archive = existsSync(path) ? await Archive.open(path, { readOnly: true }) : undefined;
  try {
    const listed = await listGroups({ api: client, pacer });
    const wanted = groupIds.length > 0 ? new Set(groupIds) : undefined;
    const unknown = groupIds.filter((id) => !listed.some((g) => g.groupId === id));
    if (unknown.length > 0) throw usage('app-has-no-group', { list: unknown.map((id) => `"${id}"`).join(', ') });
    const chosen = listed.filter((g) => !wanted || wanted.has(g.groupId));
    const samples = media.mode === 'none' ? undefined : await sampleNewest(client, pacer, chosen);
    const estimate = estimateBackup({ groups: chosen, sdkAppId, rate: rateFrom(flags), archive, media, ...(samples ? { samples } : {}) });
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
        (estimate.media
          ? `Media (--media ${estimate.media.mode}): about ${megabytes(estimate.media.bytes)} more, an estimate from the newest ${count(estimate.media.sampledMessages, 'message')} ` +
            `of the groups (${estimate.media.sampledWithMedia.toLocaleString('en-US')} with images, files, voice or video).\n`
          : 'Media (--media none): none downloaded.\n') +
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
