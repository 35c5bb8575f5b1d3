import { describe, expect, it } from 'vitest';
import { balanceFromPayload } from './balancePayload.ts';

describe('balanceFromPayload', () => {
  it('reads both parts of the balance', () => {
    expect(balanceFromPayload({ user_id: 'u', credits: 8, reserved: 2 })).toEqual({ credits: 8, reserved: 2 });
  });

  it('keeps the available part when the message has no reserved part', () => {
    expect(balanceFromPayload({ user_id: 'u', credits: 8 })).toEqual({ credits: 8, reserved: null });
  });

  it('ignores what is not a balance', () => {
    expect(balanceFromPayload(null)).toBeNull();
    expect(balanceFromPayload({ credits: '8' })).toBeNull();
    expect(balanceFromPayload({ credits: -1, reserved: 0 })).toBeNull();
  });
});
