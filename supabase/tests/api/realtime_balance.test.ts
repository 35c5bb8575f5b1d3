// The live balance in two parts, as every tab of the SPA gets it: the private Broadcast topic
// balance:<user id> carries {user_id, credits (available), reserved} whenever either part moves.
// A hold (create_interview) moves credits from available to reserved, a release (cancel) moves
// them back, a capture (complete_interview) takes them out of reserved; each reaches both tabs
// within a second, and another user's tab hears nothing.
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { SupabaseClient } from '@supabase/supabase-js';
import { anonClient, closeDb, grantCredits, serviceClient, signUpUser, waitFor } from '../../../test-support/stack.ts';
import { subscribeReady } from '../../../scripts/lib/realtime-ready.ts';

interface Balance { user_id: string; credits: number; reserved: number }

const clients: SupabaseClient[] = [];
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.removeAllChannels()));
});
afterAll(closeDb);

async function listen(client: SupabaseClient, userId: string): Promise<Balance[]> {
  clients.push(client);
  const heard: Balance[] = [];
  const channel = client.channel(`balance:${userId}`, { config: { private: true } })
    // Realtime adds the message's id to a database broadcast; the balance is the rest.
    .on('broadcast', { event: 'balance' }, ({ payload }) => {
      const { user_id, credits, reserved } = payload as Balance;
      heard.push({ user_id, credits, reserved });
    });
  await subscribeReady(channel);
  return heard;
}

describe('live available and reserved balance', () => {
  it('hold, release and capture each reach every tab of the owner within a second with both parts', async () => {
    const owner = await signUpUser('rt-reserved');
    const secondTab = anonClient();
    await secondTab.auth.signInWithPassword({ email: owner.email, password: owner.password });
    await grantCredits(owner.user.id, 5);
    const tabs = [await listen(owner.client, owner.user.id), await listen(secondTab, owner.user.id)];
    const stranger = await signUpUser('rt-reserved-spy');
    const spy = await listen(stranger.client, stranger.user.id);

    const expectEveryTab = async (expected: Omit<Balance, 'user_id'>[]) => {
      const start = performance.now();
      await waitFor(() => tabs.every((t) => t.length === expected.length), 1000, 5);
      expect(performance.now() - start).toBeLessThan(1000);
      for (const heard of tabs) expect(heard).toEqual(expected.map((e) => ({ user_id: owner.user.id, ...e })));
    };

    const a = await owner.client.rpc('create_interview', { job_position: 'Hold A', duration_minutes: 60 });
    const b = await owner.client.rpc('create_interview', { job_position: 'Hold B', duration_minutes: 30 });
    expect([a.error, b.error]).toEqual([null, null]);
    await expectEveryTab([{ credits: 3, reserved: 2 }, { credits: 2, reserved: 3 }]);

    const cancelled = await owner.client.rpc('cancel_interview', { interview_id: a.data.interview_id });
    expect(cancelled.error).toBeNull();
    await expectEveryTab([{ credits: 3, reserved: 2 }, { credits: 2, reserved: 3 }, { credits: 4, reserved: 1 }]);

    // A capture moves only the reserved part: it is still a change every tab must see.
    const completed = await serviceClient().rpc('complete_interview', { interview_id: b.data.interview_id });
    expect(completed.error).toBeNull();
    await expectEveryTab([{ credits: 3, reserved: 2 }, { credits: 2, reserved: 3 }, { credits: 4, reserved: 1 }, { credits: 4, reserved: 0 }]);

    expect(spy).toEqual([]);
  });
});
