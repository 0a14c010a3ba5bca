// The setup screen's form: a profile's fields as typed, their inline validation (the same limits main
// enforces), saving (settings, then the SecretKey into the keychain) and "Test connection".

import type { AppError, ConnectionProblem, ConnectionReport, Profile, ProfileInput, Schedule } from '../../../../app/ipc/contract';
import { endpointFor, REGIONS } from '../../../../app/im/regions';
import { api } from '../api';
import type { Messages } from '../i18n/en';

export const CUSTOM_ENDPOINT = 'custom';
export const DEFAULT_RATE = 180;

export type Field = 'name' | 'endpoint' | 'sdkAppId' | 'admin' | 'secretKey' | 'rate' | 'hours' | 'at';

/** Tencent's plans keep 7, 30 or 90 days; a profile saved with another number keeps it as a choice. */
export const RETENTION_CHOICES = [7, 30, 90] as const;
export type ScheduleKind = 'none' | Schedule['kind'];

/** Which field a failed connection test points at. */
const PROBLEM_FIELD: Partial<Record<ConnectionProblem, Field>> = {
  key: 'secretKey',
  'no-key': 'secretKey',
  sdkappid: 'sdkAppId',
  'not-admin': 'admin',
  endpoint: 'endpoint',
};

export class ProfileForm {
  name = $state('');
  region = $state<string>('singapore');
  endpoint = $state('');
  sdkAppId = $state('');
  admin = $state('administrator');
  secretKey = $state('');
  rate = $state(String(DEFAULT_RATE));
  retentionDays = $state<number>(RETENTION_CHOICES[0]);
  scheduleKind = $state<ScheduleKind>('none');
  hours = $state('24');
  at = $state('03:00');

  /** The saved profile being edited; undefined for a new one. */
  editing = $state.raw<Profile | undefined>();
  hasKey = $state(false);
  /** Fields the person has left (or tried to submit): only those show their errors. */
  touched = $state<Partial<Record<Field, boolean>>>({});
  busy = $state<'save' | 'test' | undefined>();
  report = $state.raw<ConnectionReport | undefined>();
  error = $state.raw<AppError | undefined>();
  saved = $state<string | undefined>();
  /** Set when Save's connection test failed: the person may still save what they typed (offline, say). */
  untestedSave = $state(false);

  constructor(private readonly takenNames: () => readonly string[]) {}

  edit(profile: Profile | undefined): void {
    this.editing = profile;
    const region = profile && REGIONS.some((r) => r.id === profile.endpoint) ? profile.endpoint : profile ? CUSTOM_ENDPOINT : 'singapore';
    this.name = profile?.name ?? '';
    this.region = region;
    this.endpoint = region === CUSTOM_ENDPOINT ? (profile?.endpoint ?? '') : '';
    this.sdkAppId = profile ? String(profile.sdkAppId) : '';
    this.admin = profile?.admin ?? 'administrator';
    this.rate = String(profile?.rate ?? DEFAULT_RATE);
    this.retentionDays = profile?.retentionDays ?? RETENTION_CHOICES[0];
    this.scheduleKind = profile?.schedule?.kind ?? 'none';
    this.hours = profile?.schedule?.kind === 'interval' ? String(profile.schedule.hours) : '24';
    this.at = profile?.schedule?.kind === 'daily' ? profile.schedule.at : '03:00';
    this.secretKey = '';
    this.touched = {};
    this.report = undefined;
    this.error = undefined;
    this.saved = undefined;
    this.untestedSave = false;
    this.hasKey = false;
    if (profile) {
      void api.hasSecretKey({ profile: profile.name }).then((r) => {
        if (this.editing === profile) this.hasKey = r.ok && r.value;
      });
    }
  }

  /** Each field's problem in words, or undefined; `t` is the UI's dictionary. */
  problems(t: Messages): Record<Field, string | undefined> {
    const v = t.setup.invalid;
    const name = this.name.trim();
    const taken = name !== this.editing?.name && this.takenNames().includes(name);
    const rate = Number(this.rate);
    // A number input's binding hands over a number (or '' while empty), whatever the field's initial text.
    const hours = this.hours === '' ? NaN : Number(this.hours);
    return {
      name: !name ? v.nameEmpty : name.length > 64 ? v.nameLong : taken ? v.nameTaken : undefined,
      endpoint: this.region === CUSTOM_ENDPOINT && !usableEndpoint(this.endpoint) ? v.endpoint : undefined,
      sdkAppId: /^[1-9]\d{0,9}$/u.test(this.sdkAppId.trim()) && Number(this.sdkAppId) <= 0xffffffff ? undefined : v.sdkAppId,
      admin: this.admin.trim() ? undefined : v.admin,
      secretKey: !this.editing && !this.secretKey ? v.secretKey : undefined,
      rate: Number.isInteger(rate) && rate >= 1 && rate <= 200 ? undefined : v.rate,
      hours: this.scheduleKind !== 'interval' || (Number.isInteger(hours) && hours >= 1 && hours <= 720) ? undefined : v.hours,
      at: this.scheduleKind !== 'daily' || /^([01]\d|2[0-3]):[0-5]\d$/u.test(this.at) ? undefined : v.at,
    };
  }

  /** The problem to show next to a field: its own, else the connection test's when it points there. */
  shown(field: Field, t: Messages): string | undefined {
    const own = this.touched[field] ? this.problems(t)[field] : undefined;
    if (own) return own;
    const r = this.report;
    return r && !r.ok && PROBLEM_FIELD[r.problem] === field ? t.setup.problem[r.problem] : undefined;
  }

  touch(field: Field): void {
    this.touched = { ...this.touched, [field]: true };
  }

  input(): ProfileInput {
    return {
      name: this.name.trim(),
      endpoint: this.region === CUSTOM_ENDPOINT ? this.endpoint.trim() : this.region,
      sdkAppId: Number(this.sdkAppId.trim()),
      admin: this.admin.trim(),
      rate: Number(this.rate),
      retentionDays: this.retentionDays,
      ...(this.schedule() ? { schedule: this.schedule() } : {}),
      ...(this.editing && this.editing.name === this.name.trim() ? { archivePath: this.editing.archivePath } : {}),
    };
  }

  private schedule(): Schedule | undefined {
    if (this.scheduleKind === 'interval') return { kind: 'interval', hours: Number(this.hours) };
    if (this.scheduleKind === 'daily') return { kind: 'daily', at: this.at };
    return undefined;
  }

  private valid(t: Messages, fields: readonly Field[]): boolean {
    const problems = this.problems(t);
    this.touched = { ...this.touched, ...Object.fromEntries(fields.map((f) => [f, true])) };
    return fields.every((f) => problems[f] === undefined);
  }

  /**
   * Tests the connection, then saves the settings and the SecretKey if one was typed. Returns the saved profile.
   * A failed test keeps what was saved before as it was (a typo must not replace a working key); `untested`
   * saves anyway, when the person says so.
   */
  async save(t: Messages, untested = false): Promise<Profile | undefined> {
    this.saved = undefined;
    this.error = undefined;
    if (!this.valid(t, ['name', 'endpoint', 'sdkAppId', 'admin', 'secretKey', 'rate', 'hours', 'at'])) return undefined;
    if (!untested) {
      await this.test(t);
      if (!this.report?.ok) {
        this.untestedSave = this.report !== undefined;
        return undefined;
      }
    }
    this.untestedSave = false;
    this.busy = 'save';
    try {
      const previousName = this.editing?.name;
      const r = await api.saveProfile({ profile: this.input(), ...(previousName !== undefined ? { previousName } : {}) });
      if (!r.ok) {
        this.error = r.error;
        return undefined;
      }
      if (this.secretKey) {
        const k = await api.setSecretKey({ profile: r.value.name, secretKey: this.secretKey });
        if (!k.ok) {
          this.error = k.error;
          return undefined;
        }
        this.secretKey = '';
        this.hasKey = true;
      }
      this.editing = r.value;
      this.saved = r.value.name;
      return r.value;
    } finally {
      this.busy = undefined;
    }
  }

  /** Tests what the form says now: the typed key if there is one, else the stored one. */
  async test(t: Messages): Promise<void> {
    this.report = undefined;
    this.error = undefined;
    if (!this.valid(t, ['name', 'endpoint', 'sdkAppId', 'admin', 'rate'])) return;
    this.busy = 'test';
    try {
      const r = await api.testConnection({ profile: this.input(), ...(this.secretKey ? { secretKey: this.secretKey } : {}) });
      if (r.ok) this.report = r.value;
      else this.error = r.error;
    } finally {
      this.busy = undefined;
    }
  }

  async deleteKey(): Promise<void> {
    if (!this.editing) return;
    const r = await api.deleteSecretKey({ profile: this.editing.name });
    if (r.ok) this.hasKey = false;
    else this.error = r.error;
  }
}

/** The rule main and the client apply: a region, or an http(s) base URL without query, hash or credentials. */
function usableEndpoint(text: string): boolean {
  try {
    endpointFor(text);
    return true;
  } catch {
    return false;
  }
}
