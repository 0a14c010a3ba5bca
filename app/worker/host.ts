// The worker thread's entry: answers the main process's requests with the service, one Result per request, and
// forwards the service's events. Requests run concurrently (a backup's progress keeps flowing while a search is
// answered); SQLite calls are synchronous, so two reads never interleave inside one archive call.

import { parentPort, workerData } from 'node:worker_threads';
import { resolvedProxy, useProxy } from '../im/proxy';
import type { Result } from '../ipc/contract';
import type { FromWorker, WorkerConfig, WorkerRequest } from './protocol';
import { createService } from './service';

const port = parentPort;
if (!port) throw new Error('app/worker/host.ts runs as a worker thread: start it with new Worker(...).');

const post = (message: FromWorker) => port.postMessage(message);
const service = createService(workerData as WorkerConfig, (name, payload) => post({ type: 'event', name, payload } as FromWorker));

async function answer(req: WorkerRequest): Promise<Result<unknown>> {
  try {
    if (req.type === 'shutdown') {
      await service.shutdown();
      if (req.done) {
        Atomics.store(req.done, 0, 1);
        Atomics.notify(req.done, 0);
      }
      return { ok: true, value: undefined };
    }
    if (req.type === 'proxy') {
      useProxy(resolvedProxy(req.byOrigin));
      return { ok: true, value: undefined };
    }
    if (req.type === 'mediaFile') return { ok: true, value: await service.mediaFile(req.sha256) };
    const handler = service[req.op] as (...args: unknown[]) => Promise<unknown>;
    return { ok: true, value: await handler(...req.args) };
  } catch (err) {
    return { ok: false, error: service.scrubber.toAppError(err) };
  }
}

port.on('message', (req: WorkerRequest) => {
  void answer(req).then((result) => post({ type: 'response', id: req.id, result }));
});
