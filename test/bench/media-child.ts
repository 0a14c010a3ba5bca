// A fresh process for the media benchmark's memory measure (./media.bench.ts): one backup of <group> from the
// emulator at <url> into a new archive at <path>, with its media downloaded or not; prints the peak resident
// memory as "@@RSS@@<bytes>" and the media stored.
//   argv: url sdkAppId secretKey path group with-media|without-media

import { Archive } from '../../app/archive';
import { runBackup } from '../../app/engine/backup';
import { Pacer } from '../../app/engine/pacer';
import { ImClient } from '../../app/im/client';
import { DEFAULT_MEDIA_POLICY } from '../../app/media/policy';

const [url, sdkAppId, secretKey, path, group, mode] = process.argv.slice(2);
const archive = await Archive.open(path!, { create: true });
const summary = await runBackup({
  api: new ImClient({ endpoint: url!, sdkAppId: Number(sdkAppId), identifier: 'administrator', secretKey: secretKey! }),
  archive,
  sdkAppId: Number(sdkAppId),
  pacer: new Pacer(),
  targets: [{ groupId: group! }],
  ...(mode === 'with-media' ? { media: { policy: { ...DEFAULT_MEDIA_POLICY, maxBytes: 1024 ** 3, diskFloorBytes: 0 }, allowLoopback: true } } : {}),
});
await archive.close();
if (summary.outcome !== 'ok') throw new Error(`backup ${summary.outcome}: ${summary.error ?? ''}`);
process.stdout.write(`@@RSS@@${process.resourceUsage().maxRSS * 1024} ${summary.media?.storedBytes ?? 0}\n`);
