// Every way a command can fail, as what the CLI prints: an exit code, a stable code for scripts (--json) and the
// sentence for a person, in the CLI's language. The codes are a public interface, listed in the README: add to
// them, never rename; they never depend on the language.

import { ArchiveError } from '../archive';
import { errorIn } from '../errors/said';
import { WindowFailed } from '../engine/request';
import { type Lang, OutputError } from '../export';
import { ImError } from '../im/errors';
import { EndpointError } from '../im/regions';
import { KeychainError } from '../profiles/keychain';
import { SettingsError } from '../profiles/settings';
import { EXIT } from './exit';
import { UsageError } from './usage';

export interface Failure {
  exitCode: number;
  code: string;
  message: string;
}

/** The CLI's names for the destination and the permission to replace it, in OutputError messages. */
const CLI_NAMING = { destination: '--out', force: '--force' };

export function failureOf(err: unknown, lang: Lang): Failure {
  const message = errorIn(err, lang);
  if (err instanceof UsageError) return { exitCode: EXIT.usage, code: err.code, message };
  if (err instanceof EndpointError) return { exitCode: EXIT.usage, code: 'usage', message };
  if (err instanceof OutputError) {
    return { exitCode: err.code === 'stdout-folder' ? EXIT.usage : EXIT.failed, code: `destination-${err.code}`, message: err.naming(CLI_NAMING, lang) };
  }
  if (err instanceof ArchiveError) return { exitCode: EXIT.failed, code: `archive-${err.kind}`, message };
  const im = err instanceof ImError ? err : err instanceof WindowFailed && err.cause instanceof ImError ? err.cause : undefined;
  if (im) return { exitCode: EXIT.failed, code: imCode(im), message };
  if (err instanceof KeychainError) return { exitCode: EXIT.failed, code: 'keychain', message };
  if (err instanceof SettingsError) return { exitCode: EXIT.failed, code: 'settings', message };
  return { exitCode: EXIT.failed, code: 'internal', message };
}

function imCode(err: ImError): string {
  if (err.wrongEndpoint) return 'not-tencent-api';
  switch (err.kind) {
    case 'credentials':
      return 'credentials';
    case 'transient':
    case 'rate-limited':
      return 'network';
    default:
      return 'tencent-error';
  }
}
