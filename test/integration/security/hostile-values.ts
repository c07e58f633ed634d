// The hostile values the security tests throw at every entry point: wrong types,
// non-finite and out-of-range numbers, prototype-pollution keys, deep nesting, huge
// strings, and paths that try to climb out (`..`, absolute, encoded, NUL). Generated
// here, never downloaded; the same list feeds the in-process and the HTTP fuzzers.

const HUGE = 'x'.repeat(1_000_000);

function deeplyNested(depth: number): unknown {
  let v: unknown = { leaf: true };
  for (let i = 0; i < depth; i++) v = { a: v };
  return v;
}

/** Values that are wrong wherever a field expects something specific. */
export const hostileValues: ReadonlyArray<{ name: string; value: unknown }> = [
  { name: 'null', value: null },
  { name: 'array', value: [1, 'two', { three: 3 }] },
  { name: 'empty string', value: '' },
  { name: 'huge string', value: HUGE },
  { name: 'NaN', value: Number.NaN },
  { name: 'Infinity', value: Number.POSITIVE_INFINITY },
  { name: '-Infinity', value: Number.NEGATIVE_INFINITY },
  { name: 'negative id', value: -1 },
  { name: 'zero', value: 0 },
  { name: 'fraction', value: 1.5 },
  { name: '2^53', value: 2 ** 53 },
  { name: '2^63', value: 2 ** 63 },
  { name: '1e308', value: 1e308 },
  { name: 'bigint-like string', value: '9223372036854775808' },
  { name: 'boolean', value: true },
  { name: 'deep object', value: deeplyNested(2000) },
  { name: '__proto__ object', value: JSON.parse('{"__proto__":{"polluted":true}}') as unknown },
  { name: 'constructor.prototype', value: { constructor: { prototype: { polluted: true } } } },
  { name: 'traversal path', value: '../../../../etc/passwd' },
  { name: 'absolute path', value: '/etc/passwd' },
  { name: 'encoded traversal', value: '%2e%2e%2f%2e%2e%2fetc%2fpasswd' },
  { name: 'backslash traversal', value: '..\\..\\windows\\system32' },
  { name: 'NUL in path', value: 'photos\0/../../etc/passwd' },
  { name: 'very long path', value: `/${'a/'.repeat(3000)}` },
  { name: 'function-looking string', value: '() => process.exit(1)' },
  // Where a field is a regular expression (split grouping): catastrophic backtracking.
  { name: 'ReDoS pattern', value: '^(a+)+$' },
];

/** Whole requests that are wrong for every method (the request must be an object). */
export const hostileRequests: ReadonlyArray<{ name: string; value: unknown }> = [
  { name: 'string', value: 'a string' },
  { name: 'number', value: 42 },
  { name: 'NaN', value: Number.NaN },
  { name: 'array', value: [{}, {}] },
  { name: 'boolean', value: false },
  { name: 'huge string', value: HUGE },
  { name: 'own __proto__ key', value: JSON.parse('{"__proto__":{"polluted":true,"isAdmin":true}}') as unknown },
  { name: 'constructor key', value: { constructor: { prototype: { polluted: true } } } },
  { name: 'prototype key', value: { prototype: { polluted: true } } },
  { name: 'unknown field', value: { surprise: 1 } },
  { name: 'deep object', value: deeplyNested(5000) },
];

/** What Object.prototype and Array.prototype look like, to compare before and after. */
export function prototypeFingerprint(): string {
  const probe = {} as Record<string, unknown>;
  return JSON.stringify({
    object: Object.getOwnPropertyNames(Object.prototype).sort(),
    array: Object.getOwnPropertyNames(Array.prototype).sort(),
    polluted: probe.polluted ?? null,
    isAdmin: probe.isAdmin ?? null,
  });
}
