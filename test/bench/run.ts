// `npm run bench`: every performance target of the project, each next to a baseline measured in the same run,
// written to docs/benchmarks.md and printed. Each benchmark runs in its own child process so that one's memory
// (a million-message archive) cannot inflate another's peak RSS.
//
//   npm run bench                   everything at the sizes the issues name
//   npm run bench -- --quick        small sizes, a smoke test of the harness
//   npm run bench -- --only NAME    one benchmark (download, media, storage, export, people, startup)

import { spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { cpus, totalmem } from 'node:os';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { BENCHES, type BenchName, type Section } from './registry';

const { values } = parseArgs({
  options: { quick: { type: 'boolean', default: false }, only: { type: 'string', multiple: true }, child: { type: 'string' } },
});

if (values.child) {
  const bench = BENCHES[values.child as BenchName];
  const result = await bench.run(values.quick ?? false);
  process.stdout.write(`\n@@RESULT@@${JSON.stringify(result)}\n`);
  process.exit(0);
}

const names = (values.only ?? Object.keys(BENCHES)) as BenchName[];
const sections: Section[] = [];
for (const name of names) {
  if (!BENCHES[name]) throw new Error(`Unknown benchmark "${name}". Known: ${Object.keys(BENCHES).join(', ')}`);
  process.stderr.write(`\n▶ ${name}\n`);
  const raw = await runChild(name, values.quick ?? false);
  sections.push(BENCHES[name].report(raw));
}

const doc = [
  '# Benchmarks',
  '',
  `Measured by \`npm run bench${values.quick ? ' -- --quick' : ''}\` on ${new Date().toISOString().slice(0, 10)}: ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown CPU'}), ${Math.round(totalmem() / 1024 ** 3)} GB, Node ${process.version}.`,
  'Every number has a baseline measured in the same run; machines here are noisy, so the ratios are what to compare across runs.',
  '',
  ...sections.flatMap((s) => [`## ${s.title}`, '', ...s.lines, '']),
].join('\n');
process.stdout.write(`\n${doc}\n`);
if (!values.quick && !values.only) await writeFile(fileURLToPath(new URL('../../docs/benchmarks.md', import.meta.url)), doc);

function runChild(name: string, quick: boolean): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', '--max-old-space-size=4096', fileURLToPath(import.meta.url), '--child', name, ...(quick ? ['--quick'] : [])], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.on('close', (code) => {
      const at = out.lastIndexOf('@@RESULT@@');
      if (code !== 0 || at < 0) return reject(new Error(`benchmark ${name} failed (exit ${code})`));
      resolve(JSON.parse(out.slice(at + '@@RESULT@@'.length)));
    });
  });
}
