// A tiny runtime schema for IPC arguments: each check takes an unknown value and returns it typed, or throws a
// ValidationError naming the field. Objects are strict (unknown keys are refused) and come back rebuilt from
// their known keys only, so nothing a compromised renderer adds (prototype tricks, extra fields) reaches a handler.

export class ValidationError extends Error {
  override name = 'ValidationError';
}

export type Check<T> = (value: unknown, path: string) => T;

/** A check whose key may be absent from its object. */
export interface OptionalCheck<T> extends Check<T | undefined> {
  readonly optional: true;
}

type AnyCheck = Check<unknown> | OptionalCheck<unknown>;
type Shape = Record<string, AnyCheck>;
type Value<C> = C extends Check<infer T> ? T : never;
type OptionalKeys<S extends Shape> = { [K in keyof S]: S[K] extends OptionalCheck<unknown> ? K : never }[keyof S];
type Simplify<T> = { [K in keyof T]: T[K] };
export type Infer<S extends Shape> = Simplify<
  { [K in Exclude<keyof S, OptionalKeys<S>>]: Value<S[K]> } & { [K in OptionalKeys<S>]?: Exclude<Value<S[K]>, undefined> }
>;

const fail = (path: string, what: string): never => {
  throw new ValidationError(`${path || 'the argument'} ${what}`);
};

/** C0/C1 control characters, and lone surrogates: no name, ID or path legitimately holds them. */
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/u;

export function string(opts: { min?: number; max: number; pattern?: RegExp; allowControl?: boolean }): Check<string> {
  return (v, path) => {
    if (typeof v !== 'string') return fail(path, 'must be text');
    if (v.length < (opts.min ?? 0)) return fail(path, opts.min === 1 ? 'must not be empty' : `must be at least ${opts.min} characters`);
    if (v.length > opts.max) return fail(path, `must be at most ${opts.max} characters`);
    if (!v.isWellFormed() || (!opts.allowControl && CONTROL.test(v))) return fail(path, 'contains characters that are not allowed');
    if (opts.pattern && !opts.pattern.test(v)) return fail(path, 'is not in the expected form');
    return v;
  };
}

export function integer(min: number, max: number): Check<number> {
  return (v, path) => {
    if (typeof v !== 'number' || !Number.isInteger(v)) return fail(path, 'must be a whole number');
    if (v < min || v > max) return fail(path, `must be from ${min} to ${max}`);
    return v;
  };
}

export function boolean(): Check<boolean> {
  return (v, path) => (typeof v === 'boolean' ? v : fail(path, 'must be true or false'));
}

export function oneOf<const T extends string>(values: readonly T[]): Check<T> {
  return (v, path) => ((values as readonly unknown[]).includes(v) ? (v as T) : fail(path, `must be one of ${values.join(', ')}`));
}

export function optional<T>(check: Check<T>): OptionalCheck<T> {
  const c = (v: unknown, path: string) => (v === undefined ? undefined : check(v, path));
  return Object.assign(c, { optional: true as const });
}

export function nullable<T>(check: Check<T>): Check<T | null> {
  return (v, path) => (v === null ? null : check(v, path));
}

export function array<T>(item: Check<T>, max: number): Check<T[]> {
  return (v, path) => {
    if (!Array.isArray(v)) return fail(path, 'must be a list');
    if (v.length > max) return fail(path, `must have at most ${max} entries`);
    return v.map((x, i) => item(x, `${path}[${i}]`));
  };
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const proto: unknown = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

export function object<S extends Shape>(shape: S): Check<Infer<S>> {
  return (v, path) => {
    if (!isPlainObject(v)) return fail(path, 'must be an object');
    for (const key of Object.keys(v)) if (!Object.hasOwn(shape, key)) fail(path ? `${path}.${key}` : key, 'is not expected');
    const out: Record<string, unknown> = {};
    for (const [key, check] of Object.entries(shape)) {
      const value = check(v[key], path ? `${path}.${key}` : key);
      if (value !== undefined) out[key] = value;
    }
    return out as Infer<S>;
  };
}

/** One of several object shapes, told apart by the string in `key`. */
export function variant<K extends string, M extends Record<string, Shape>>(key: K, shapes: M): Check<{ [T in keyof M]: Simplify<{ [P in K]: T } & Infer<M[T]>> }[keyof M]> {
  const checks = Object.fromEntries(Object.entries(shapes).map(([tag, shape]) => [tag, object({ ...shape, [key]: oneOf([tag]) })]));
  return (v, path) => {
    const tag = isPlainObject(v) ? v[key] : undefined;
    if (typeof tag !== 'string' || !Object.hasOwn(checks, tag)) return fail(path ? `${path}.${key}` : key, `must be one of ${Object.keys(shapes).join(', ')}`);
    return checks[tag]!(v, path) as never;
  };
}

/** Either of two checks: the first that accepts the value wins. */
export function either<A, B>(a: Check<A>, b: Check<B>): Check<A | B> {
  return (v, path) => {
    try {
      return a(v, path);
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      return b(v, path);
    }
  };
}

/** An absolute file system path on any of the platforms we ship (POSIX, or Windows drive / UNC). */
export function absolutePath(): Check<string> {
  const text = string({ min: 1, max: 4096 });
  return (v, path) => {
    const p = text(v, path);
    if (!(p.startsWith('/') || /^[A-Za-z]:[\\/]/u.test(p) || p.startsWith('\\\\'))) return fail(path, 'must be an absolute path');
    return p;
  };
}
