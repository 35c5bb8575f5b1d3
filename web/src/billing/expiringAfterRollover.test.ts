import { describe, expect, it } from 'vitest';
import { expiringAfterRollover } from './expiringAfterRollover.ts';
import { subscriptionStatusSchema } from './subscriptionSchemas.ts';

const END = '2027-01-08T10:00:00+00:00';
const sub = (rolling: number) => subscriptionStatusSchema.parse({
  plan_id: 'sub_pro_monthly', plan_name: 'Pro monthly', status: 'active', current_period_end: END,
  period_end_policy: 'rollover', rolling_over_at_period_end: rolling, rollover_expires_at: '2027-02-08T10:00:00+00:00',
});

describe('expiringAfterRollover', () => {
  it('what rolls over at period end does not expire then: it expires when the rollover does', () => {
    expect(expiringAfterRollover([{ expires_at: '2027-01-08T10:00:00Z', credits: 100 }, { expires_at: '2027-12-01T00:00:00Z', credits: 5 }], sub(50)))
      .toEqual([{ expires_at: '2027-01-08T10:00:00Z', credits: 50 }, { expires_at: '2027-02-08T10:00:00+00:00', credits: 50 }, { expires_at: '2027-12-01T00:00:00Z', credits: 5 }]);
  });

  it('all of it rolling over leaves nothing expiring at period end', () => {
    expect(expiringAfterRollover([{ expires_at: END, credits: 30 }], sub(30))).toEqual([{ expires_at: '2027-02-08T10:00:00+00:00', credits: 30 }]);
  });

  it('unchanged without a subscription, or when nothing rolls over', () => {
    const lots = [{ expires_at: END, credits: 30 }];
    expect(expiringAfterRollover(lots, null)).toBe(lots);
    expect(expiringAfterRollover(lots, sub(0))).toBe(lots);
  });
});
