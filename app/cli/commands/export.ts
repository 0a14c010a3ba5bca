import { Archive } from '../../archive';
import { exportJsonl } from '../../export/jsonl';
import { archivePath, type GlobalFlags } from '../config';
import { printJson } from '../output';
import { UsageError } from '../usage';

export interface ExportFlags extends GlobalFlags {
  format?: string;
  out?: string;
  group?: string[];
}

export async function exportCommand(flags: ExportFlags): Promise<number> {
  if (flags.format !== 'jsonl') throw new UsageError(`--format must be jsonl (got "${flags.format ?? ''}").`);
  if (!flags.out) throw new UsageError('Say where to write the export: --out FILE.');
  const archive = await Archive.open(archivePath(flags), { readOnly: true });
  try {
    const result = await exportJsonl(archive, flags.out, { groupIds: flags.group ?? [] });
    if (flags.json) printJson(result);
    else process.stdout.write(`Wrote ${result.messages} messages from ${result.groups} groups to ${flags.out}\n`);
    return 0;
  } finally {
    await archive.close();
  }
}
