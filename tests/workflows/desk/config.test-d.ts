// `DeskConfig` is what a user writes (defaults may be left out), `ResolvedDeskConfig` what
// `parseDeskConfig` returns (every default filled in), as `CalendarConfig` / `ResolvedCalendarConfig`.
import { describe, expectTypeOf, it } from 'vitest';
import {
  type DeskConfig,
  type DeskConfigInput,
  parseDeskConfig,
  type ResolvedDeskConfig,
} from '../../../src/index.js';

describe('DeskConfig and ResolvedDeskConfig', () => {
  it('a user writes a DeskConfig with its defaults left out', () => {
    const written: DeskConfig = { agents: [{ id: 'ana', name: 'Ana' }] };
    expectTypeOf(written).toEqualTypeOf<DeskConfig>();
    expectTypeOf<DeskConfig['name']>().toEqualTypeOf<string | undefined>();
    // @ts-expect-error a misspelt key is not a DeskConfig
    const misspelt: DeskConfig = { agentz: [] };
    void misspelt;
  });

  it('parseDeskConfig returns the resolved form, its defaults filled in', () => {
    expectTypeOf(parseDeskConfig).returns.toEqualTypeOf<ResolvedDeskConfig>();
    expectTypeOf<ResolvedDeskConfig['name']>().toEqualTypeOf<string>();
    expectTypeOf<ResolvedDeskConfig['kpis']['fcr']>().toEqualTypeOf<
      'zendeskOneTouch' | 'noCustomerFollowUp' | 'noReopen'
    >();
    // @ts-expect-error the written form's `kpis` may be absent
    const kpis: ResolvedDeskConfig['kpis'] = ({} as DeskConfig).kpis;
    void kpis;
  });

  it('DeskConfigInput is a deprecated alias of DeskConfig', () => {
    expectTypeOf<DeskConfigInput>().toEqualTypeOf<DeskConfig>();
  });
});
