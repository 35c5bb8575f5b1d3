import { describe, expect, it } from 'vitest';
import { describeLedgerEntry } from './ledgerLabels.ts';

describe('ledger rows in plain words', () => {
  it('a hold reserves the interview\'s credits', () => {
    expect(describeLedgerEntry({ kind: 'hold', delta: -2, reserved_delta: 2 }))
      .toEqual({ label: 'Reserved', summary: '2 credits held until the interview takes place' });
  });

  it('a capture (spend, delta 0) spends reserved credits, not available ones', () => {
    expect(describeLedgerEntry({ kind: 'spend', delta: 0, reserved_delta: -1 }))
      .toEqual({ label: 'Interview completed', summary: '1 credit spent from reserved' });
  });

  it('an expiration says how many credits expired', () => {
    expect(describeLedgerEntry({ kind: 'expiration', delta: -12, reserved_delta: 0 }).summary).toBe('12 credits expired');
  });

  it('a release gives the credits back', () => {
    expect(describeLedgerEntry({ kind: 'release', delta: 3, reserved_delta: -3 }).summary).toBe('3 credits back to available');
  });

  it('a rollover (delta 0) says the credits stay available; its reason says how many', () => {
    expect(describeLedgerEntry({ kind: 'rollover', delta: 0, reserved_delta: 0 }))
      .toEqual({ label: 'Rolled over', summary: 'Unused credits carried into the next period' });
  });

  it('a direct charge and a purchase keep their short labels', () => {
    expect(describeLedgerEntry({ kind: 'spend', delta: -2, reserved_delta: 0 })).toEqual({ label: 'Interview charge', summary: null });
    expect(describeLedgerEntry({ kind: 'purchase', delta: 10, reserved_delta: 0 })).toEqual({ label: 'Purchase', summary: null });
  });
});
