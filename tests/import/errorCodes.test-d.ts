// carekit/import and carekit/store-postgres throw typed codes: a misspelt code at a throw site
// is a compile error, as in the other modules (tests/model/errorCodes.test-d.ts).
import { describe, expectTypeOf, it } from 'vitest';
import type { ImportErrorCode } from '../../src/import/index.js';
import { type ArgumentErrorCode, CarekitError } from '../../src/model/index.js';
import type { CarekitStoreError, StoreErrorCode } from '../../src/store-postgres/index.js';

describe('import and store-postgres error codes', () => {
  it('a misspelt code is a type error', () => {
    new CarekitError<ImportErrorCode>('unknown_source', 'no such source');
    // @ts-expect-error `unknown_sorce` is not an ImportErrorCode
    new CarekitError<ImportErrorCode>('unknown_sorce', 'no such source');
    new CarekitError<StoreErrorCode>('schema_too_new', 'too new');
    // @ts-expect-error `schema_to_new` is not a StoreErrorCode
    new CarekitError<StoreErrorCode>('schema_to_new', 'too new');
  });

  it('each union includes the shared argument codes; a store error is store_failed', () => {
    expectTypeOf<ArgumentErrorCode>().toExtend<ImportErrorCode>();
    expectTypeOf<ArgumentErrorCode>().toExtend<StoreErrorCode>();
    expectTypeOf<CarekitStoreError['code']>().toEqualTypeOf<'store_failed'>();
    expectTypeOf<'store_failed'>().toExtend<StoreErrorCode>();
  });
});
