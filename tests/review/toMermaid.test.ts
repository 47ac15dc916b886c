import { describe, expect, it } from 'vitest';
import { and, createMachine, setup } from 'xstate';
import { guardLabel, lifecycleTable, toMermaid } from '../../src/review/index.js';
import { createTicketWorkflow, ticketRules } from '../../src/workflows/index.js';

describe('toMermaid', () => {
  it('draws states, the initial state, transitions and final states', () => {
    const light = createMachine({
      id: 'light',
      initial: 'green',
      states: {
        green: { on: { TIMER: 'yellow' } },
        yellow: { on: { TIMER: 'red' } },
        red: { type: 'final' },
      },
    });
    expect(toMermaid(light)).toBe(
      [
        'stateDiagram-v2',
        '  [*] --> light_green',
        '  state "green" as light_green',
        '  state "yellow" as light_yellow',
        '  state "red" as light_red',
        '  light_green --> light_yellow : TIMER',
        '  light_yellow --> light_red : TIMER',
        '  light_red --> [*]',
      ].join('\n'),
    );
  });

  it('labels guards by name, with parameters and combinators, and eventless transitions', () => {
    const machine = setup({
      guards: { isVip: () => true, hasBudget: (_: unknown, p: { max: number }) => p.max > 0, ok: () => true },
    }).createMachine({
      id: 'm',
      initial: 'a',
      states: {
        a: {
          on: {
            GO: [
              { guard: 'isVip', target: 'b' },
              { guard: { type: 'hasBudget', params: { max: 5 } }, target: 'c' },
            ],
            BOTH: { guard: and(['isVip', 'ok']), target: 'c' },
          },
          always: { guard: 'ok', target: 'c' },
        },
        b: { on: { AGAIN: 'b' } },
        c: {},
      },
    });
    const out = toMermaid(machine);
    expect(out).toContain('m_a --> m_b : GO [isVip]');
    expect(out).toContain('m_a --> m_c : GO [hasBudget(5)]');
    expect(out).toContain('m_a --> m_c : BOTH [and(isVip, ok)]');
    expect(out).toContain('m_a --> m_c : always [ok]');
    expect(out).toContain('m_b --> m_b : AGAIN');
    expect(toMermaid(machine, { showGuards: false })).toContain('m_a --> m_b : GO\n');
  });

  it('nests compound states and separates parallel regions', () => {
    const machine = createMachine({
      id: 'player',
      type: 'parallel',
      states: {
        sound: { initial: 'on', states: { on: { on: { MUTE: 'off' } }, off: { on: { UNMUTE: 'on' } } } },
        video: { initial: 'playing', states: { playing: { on: { PAUSE: 'paused' } }, paused: {} } },
      },
    });
    const out = toMermaid(machine, { direction: 'LR' });
    expect(out).toContain('  direction LR');
    expect(out).toContain('  [*] --> player\n  state "player" as player {');
    expect(out).toContain('    state "sound" as player_sound {');
    expect(out).toContain('      [*] --> player_sound_on');
    expect(out).toMatch(/\n {4}--\n/);
    expect(out).toContain('player_sound_on --> player_sound_off : MUTE');
  });

  it('draws targetless transitions only when asked', () => {
    const machine = createMachine({
      id: 'n',
      initial: 'a',
      states: { a: { on: { NOTE: { actions: [] } } } },
    });
    expect(toMermaid(machine)).not.toContain('NOTE');
    expect(toMermaid(machine, { includeTargetless: true })).toContain('n_a --> n_a : NOTE');
  });

  it('draws every status of the ticket machine, reachable from new', () => {
    const out = toMermaid(createTicketWorkflow().machine);
    for (const status of ['new', 'open', 'pending', 'on_hold', 'solved', 'closed', 'merged']) {
      expect(out).toContain(`state "${status}" as ticket_${status}`);
    }
    expect(out).toContain('ticket_solved --> ticket_open : customer.replied [withinReopenWindow]');
    expect(out).toContain('ticket_new --> ticket_closed : always [blockedToSpam]');
  });

  it('names guards of every shape', () => {
    expect(guardLabel(undefined)).toBe('');
    expect(guardLabel('named')).toBe('named');
    expect(guardLabel(function isLate() {})).toBe('isLate');
    expect(guardLabel(() => true)).toBe('inline guard');
    expect(guardLabel({ type: 'x', params: {} })).toBe('x');
    expect(guardLabel({})).toBe('guard');
    expect(guardLabel(42)).toBe('42');
  });
});

describe('lifecycleTable', () => {
  it('has a row per event type the rules know and a column per live status; closed and merged in a sentence', () => {
    const lines = lifecycleTable().split('\n');
    expect(lines[0]).toBe('| event | new | open | pending | on hold | solved |');
    const events = new Set(Object.values(ticketRules).flatMap((byEvent) => Object.keys(byEvent)));
    expect(lines.filter((l) => l.startsWith('| `'))).toHaveLength(events.size);
    expect(lifecycleTable()).toContain(
      '| `customer.replied` | stays | stays | → open | → open | → open if withinReopenWindow; otherwise → closed |',
    );
    expect(lifecycleTable()).toContain('| `survey.answered` | — | — | — | — | stays |');
    expect(lifecycleTable()).toContain(
      'In closed and merged a ticket accepts only `survey.answered`, `ticket.child_changed`, `message.moved`, `ticket.merged_from`, `clock.tick`, and stays',
    );
  });
});
