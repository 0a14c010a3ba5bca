// The SecretKey of each profile, in the OS keychain and nowhere else: macOS Keychain, Windows Credential
// Manager, Linux Secret Service (GNOME Keyring, KWallet). On Linux the entry is pinned to the Secret Service, so a
// machine without one fails loudly instead of silently keeping the key in the kernel keyring, which forgets it at
// logout. Naming: service "TIM Group Backup", account "profile:<profile name>".
//
// The worker uses the asynchronous API (a keyring that prompts to unlock must not stall a backup); the CLI, which
// does one thing and exits, the synchronous one. The native module loads on first use, so a platform without its
// binary only loses the keychain, not the app.

import { createRequire } from 'node:module';
import type { AsyncEntry, Entry, EntryOptions } from '@napi-rs/keyring';
import { SaidError, type Sentences, type Tables, sayAll } from '../errors/said';

export const KEYCHAIN_SERVICE = 'TIM Group Backup';

export function keychainAccount(profile: string): string {
  return `profile:${profile}`;
}

type KeychainPlace = 'linux' | 'darwin' | 'win32';

/** `detail` is the keychain's own words (English), quoted for whoever fixes it. */
export const KEYCHAIN_EN = {
  linux: (p) =>
    `The system keychain cannot be used, so the SecretKey cannot be read or saved. On Linux it needs a Secret Service (GNOME Keyring or KWallet) running and unlocked in your session. (${p.detail})`,
  darwin: (p) => `The system keychain cannot be used, so the SecretKey cannot be read or saved. Check that your login keychain is unlocked. (${p.detail})`,
  win32: (p) =>
    `The system keychain cannot be used, so the SecretKey cannot be read or saved. Check that Windows Credential Manager is available for your account. (${p.detail})`,
} satisfies Sentences<KeychainPlace, { detail: string }>;

export const KEYCHAIN_ZH = {
  linux: (p) => `无法使用系统钥匙串，因此无法读取或保存密钥。在 Linux 上，需要在当前会话中运行并解锁 Secret Service（GNOME Keyring 或 KWallet）。（${p.detail}）`,
  darwin: (p) => `无法使用系统钥匙串，因此无法读取或保存密钥。请确认“登录”钥匙串已解锁。（${p.detail}）`,
  win32: (p) => `无法使用系统钥匙串，因此无法读取或保存密钥。请确认您的账户可以使用 Windows 凭据管理器。（${p.detail}）`,
} satisfies Sentences<KeychainPlace, { detail: string }>;

const KEYCHAIN: Tables<KeychainPlace, { detail: string }> = { en: KEYCHAIN_EN, 'zh-CN': KEYCHAIN_ZH };

/** The keychain cannot be used at all (no Secret Service, locked and not unlocked, no native binary). */
export class KeychainError extends SaidError {
  override name = 'KeychainError';
}

/** What the worker needs of a keychain; tests of code above it may use an in-memory one. */
export interface SecretStore {
  get(profile: string): Promise<string | undefined>;
  set(profile: string, secretKey: string): Promise<void>;
  /** True if there was a key to delete. */
  delete(profile: string): Promise<boolean>;
}

const OPTIONS: EntryOptions = { linux: { store: 'secret-service' } };

type Keyring = typeof import('@napi-rs/keyring');
let keyring: Keyring | undefined;

function load(): Keyring {
  // The module's loader runs whatever file NAPI_RS_NATIVE_LIBRARY_PATH names, as native code in the process that
  // holds the keys: what the app's RunAsNode/NODE_OPTIONS fuses exist to prevent. Nothing here needs it.
  delete process.env.NAPI_RS_NATIVE_LIBRARY_PATH;
  try {
    keyring ??= createRequire(import.meta.url)('@napi-rs/keyring') as Keyring;
    return keyring;
  } catch (err) {
    throw unavailable(err);
  }
}

function unavailable(err: unknown): KeychainError {
  const detail = err instanceof Error ? err.message.split('\n')[0]!.slice(0, 300) : String(err);
  const place: KeychainPlace = process.platform === 'linux' || process.platform === 'darwin' ? process.platform : 'win32';
  return new KeychainError(sayAll(KEYCHAIN, place, { detail }), { cause: err });
}

async function guard<T>(op: () => Promise<T>): Promise<T> {
  try {
    return await op();
  } catch (err) {
    throw err instanceof KeychainError ? err : unavailable(err);
  }
}

export class OsKeychain implements SecretStore {
  constructor(private readonly service = KEYCHAIN_SERVICE) {}

  private entry(profile: string): AsyncEntry {
    return new (load().AsyncEntry)(this.service, keychainAccount(profile), OPTIONS);
  }

  get(profile: string): Promise<string | undefined> {
    return guard(async () => (await this.entry(profile).getPassword()) ?? undefined);
  }

  set(profile: string, secretKey: string): Promise<void> {
    return guard(() => this.entry(profile).setPassword(secretKey));
  }

  delete(profile: string): Promise<boolean> {
    return guard(() => this.entry(profile).deleteCredential());
  }
}

/** The CLI's one read: blocking is fine there. */
export function readSecretKeySync(profile: string, service = KEYCHAIN_SERVICE): string | undefined {
  try {
    const entry: Entry = new (load().Entry)(service, keychainAccount(profile), OPTIONS);
    return entry.getPassword() ?? undefined;
  } catch (err) {
    throw err instanceof KeychainError ? err : unavailable(err);
  }
}
