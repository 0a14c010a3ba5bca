// Builds an archive of generated chat on disk, in its own process, so that a benchmark measuring the export's
// memory does not also carry the memory of filling the archive.
//
//   node --import tsx test/export/build-archive.ts PATH MESSAGES [GROUPS]

import { Archive } from '../../app/archive';
import { fillArchive } from './fixtures';

const [path, messages, groups = '1'] = process.argv.slice(2);
if (!path || !messages) throw new Error('usage: build-archive.ts PATH MESSAGES [GROUPS]');
const n = Number(groups);
const archive = await Archive.open(path, { create: true });
fillArchive(
  archive,
  Array.from({ length: n }, (_, i) => ({
    groupId: `@TGS#bench${i + 1}`,
    name: ['产品讨论群', 'Release Train', '家长群（三年级二班）'][i % 3]!,
    messages: Math.ceil(Number(messages) / n),
    seed: 100 + i,
    members: 200,
    spanSeconds: 180 * 86_400,
  })),
);
await archive.close();
