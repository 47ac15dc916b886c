// The bad values every exported function is called with. Built inside the child process:
// Proxies and throwing getters cannot cross a process boundary.

function deep(levels: number): unknown {
  let v: unknown = {};
  for (let i = 0; i < levels; i++) v = { a: v, b: [v] };
  return v;
}

export const CATALOGUE: Record<string, () => unknown> = {
  undefined: () => undefined,
  null: () => null,
  NaN: () => Number.NaN,
  Infinity: () => Number.POSITIVE_INFINITY,
  '-Infinity': () => Number.NEGATIVE_INFINITY,
  huge: () => 1e300,
  maxSafe: () => Number.MAX_SAFE_INTEGER,
  negative: () => -1,
  true: () => true,
  bigint: () => 10n,
  symbol: () => Symbol('x'),
  emptyString: () => '',
  string: () => 'hello',
  string10MB: () => 'x'.repeat(10_000_000),
  array: () => [1, 'a', null],
  emptyObject: () => ({}),
  deepObject: () => deep(5_000),
  protoKey: () => JSON.parse('{"__proto__": {"polluted": true}, "constructor": {"prototype": {}}}'),
  proxy: () =>
    new Proxy(
      {},
      {
        get() {
          throw new Error('proxy trap');
        },
        ownKeys() {
          throw new Error('proxy trap');
        },
        getOwnPropertyDescriptor() {
          throw new Error('proxy trap');
        },
        has() {
          throw new Error('proxy trap');
        },
        getPrototypeOf() {
          throw new Error('proxy trap');
        },
      },
    ),
  throwingGetter: () =>
    Object.defineProperty({}, 'id', {
      enumerable: true,
      get() {
        throw new Error('getter');
      },
    }),
  invalidDate: () => new Date(Number.NaN),
  function: () => () => 1,
};

export const VALUE_NAMES = Object.keys(CATALOGUE);
