// Error codes are typed unions, declared once per module: a misspelt code is a type error where it
// is thrown, and a caller narrows `error.code` to the union of the module it called.
import type {
  ArgumentErrorCode,
  CalendarErrorCode,
  MetricsErrorCode,
  ModelErrorCode,
  ReviewErrorCode,
  RoutingErrorCode,
  RulesErrorCode,
  SlaErrorCode,
  TemplateErrorCode,
  TemplateLintCode,
  TemplateWarningCode,
  WorkflowErrorCode,
} from 'carekit';
import { describe, expectTypeOf, it } from 'vitest';
import { MetricsArgumentError } from '../../src/metrics/index.js';
import { CarekitArgumentError, CarekitError, type CarekitValidationError } from '../../src/model/index.js';
import { TemplateRenderError, TemplateSyntaxError } from '../../src/templates/index.js';
import type { DeskWarning, RuleWarning } from '../../src/workflows/index.js';

describe('error codes', () => {
  it('refuses a misspelt code where an error is made', () => {
    new CarekitError<CalendarErrorCode>('invalid_calendar', 'ok');
    // @ts-expect-error a misspelt calendar code
    new CarekitError<CalendarErrorCode>('invalid_calender', 'no');
    // @ts-expect-error a code of another module
    new CarekitError<SlaErrorCode>('unknown_template', 'no');
    // @ts-expect-error a misspelt SLA code in an argument error
    new CarekitArgumentError<SlaErrorCode>('invalid_sla_stat', ['state'], 'no');
    // @ts-expect-error a misspelt metrics code
    new MetricsArgumentError('invalid_fact', [0], 'no');
    // @ts-expect-error a misspelt template code
    new TemplateSyntaxError('template_sintax', 'no', 1, 1);
    // @ts-expect-error a misspelt template code
    new TemplateRenderError('unknown_varable', 'no');
  });

  it('types the code of each error class by its module union', () => {
    expectTypeOf<MetricsArgumentError['code']>().toEqualTypeOf<MetricsErrorCode>();
    expectTypeOf<TemplateSyntaxError['code']>().toEqualTypeOf<TemplateErrorCode>();
    expectTypeOf<TemplateRenderError['code']>().toEqualTypeOf<TemplateErrorCode>();
    expectTypeOf<CarekitValidationError['code']>().toEqualTypeOf<'invalid_input'>();
    expectTypeOf<CarekitError<WorkflowErrorCode>['code']>().toEqualTypeOf<WorkflowErrorCode>();
    // Untyped, an error's code is any string (what a catch clause sees).
    expectTypeOf<CarekitError['code']>().toEqualTypeOf<string>();
  });

  it('includes the shared argument codes in every module union', () => {
    expectTypeOf<ArgumentErrorCode>().toExtend<ModelErrorCode>();
    expectTypeOf<ArgumentErrorCode>().toExtend<CalendarErrorCode>();
    expectTypeOf<ArgumentErrorCode>().toExtend<SlaErrorCode>();
    expectTypeOf<ArgumentErrorCode>().toExtend<RoutingErrorCode>();
    expectTypeOf<ArgumentErrorCode>().toExtend<TemplateErrorCode>();
    expectTypeOf<ArgumentErrorCode>().toExtend<MetricsErrorCode>();
    expectTypeOf<ArgumentErrorCode>().toExtend<RulesErrorCode>();
    expectTypeOf<ArgumentErrorCode>().toExtend<WorkflowErrorCode>();
    expectTypeOf<ArgumentErrorCode>().toExtend<ReviewErrorCode>();
    expectTypeOf<TemplateErrorCode>().toExtend<TemplateLintCode>();
    expectTypeOf<'channel_truncated'>().toExtend<TemplateWarningCode>();
    expectTypeOf<'invalid_calender'>().not.toExtend<CalendarErrorCode>();
  });

  it('gives warnings the shape of an issue: a typed code and a message, plus details', () => {
    expectTypeOf<DeskWarning>().toExtend<{ code: string; message: string; ticketId: string }>();
    expectTypeOf<DeskWarning['code']>().not.toEqualTypeOf<string>();
    expectTypeOf<RuleWarning['code']>().toEqualTypeOf<'rule_cycle' | 'rule_action_rejected'>();
  });
});
