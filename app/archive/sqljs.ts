// sql.js compiles SQLite to WASM; compiling it costs tens of milliseconds and megabytes, so it happens once per
// process and every archive shares the module.

import { createRequire } from 'node:module';
import initSqlJs, { type SqlJsStatic } from 'sql.js';

let loading: Promise<SqlJsStatic> | undefined;

export function loadSqlJs(): Promise<SqlJsStatic> {
  loading ??= initSqlJs({ locateFile: () => createRequire(import.meta.url).resolve('sql.js/dist/sql-wasm.wasm') }).catch((err: unknown) => {
    loading = undefined;
    throw err;
  });
  return loading;
}
