// A running interview is not free: once the AI interview runner reports that the candidate opened
// it (start_interview, service role), the recruiter's cancel is refused (PT409 interview_in_progress,
// HTTP 409) and the runner's completion spends the credits. Through supabase-js, as the runner and
// the SPA call it.
import { afterAll, describe, expect, it } from 'vitest';
import { anonClient, closeDb, db, grantCredits, serviceClient, signUpUser, walletOf } from '../../../test-support/stack.ts';

afterAll(closeDb);

describe('start_interview', () => {
  it('the runner starts an interview; the recruiter can no longer cancel it; the completion spends its credits', async () => {
    const { client, user } = await signUpUser('running');
    await grantCredits(user.id, 4);
    const created = await client.rpc('create_interview', { job_position: 'Platform engineer', duration_minutes: 120 });
    const interviewId = created.data.interview_id as string;

    const started = await serviceClient().rpc('start_interview', { interview_id: interviewId });
    expect(started.error).toBeNull();
    expect(started.data).toMatchObject({ interview_id: interviewId, status: 'in_progress', reserved: 4, replayed: false });
    const again = await serviceClient().rpc('start_interview', { interview_id: interviewId });
    expect(again.data).toEqual({ ...started.data, replayed: true });

    // The recruiter sees the state (RLS read of their own row) and cannot cancel it.
    const { data: row } = await client.from('interviews').select('status, started_at').eq('id', interviewId).single();
    expect(row).toEqual({ status: 'in_progress', started_at: started.data.started_at });
    const cancel = await client.rpc('cancel_interview', { interview_id: interviewId });
    expect([cancel.status, cancel.error?.code, cancel.error?.message]).toEqual([409, 'PT409', 'interview_in_progress']);
    expect(await walletOf(user.id)).toEqual({ credits: 0, reserved: 4 });

    const done = await serviceClient().rpc('complete_interview', { interview_id: interviewId });
    expect(done.error).toBeNull();
    expect(done.data).toMatchObject({ status: 'completed', spent: 4, balance: 0, reserved: 0, replayed: false });
    expect(await walletOf(user.id)).toEqual({ credits: 0, reserved: 0 });
  });

  it('only the service role starts; cancelled and completed interviews are refused with stable codes', async () => {
    const { client, user } = await signUpUser('running');
    await grantCredits(user.id, 2);
    const cancelled = (await client.rpc('create_interview', { job_position: 'A' })).data.interview_id as string;
    const completed = (await client.rpc('create_interview', { job_position: 'B' })).data.interview_id as string;
    await client.rpc('cancel_interview', { interview_id: cancelled });
    await serviceClient().rpc('complete_interview', { interview_id: completed });

    for (const caller of [client, anonClient()]) {
      const { error } = await caller.rpc('start_interview', { interview_id: completed });
      expect(error?.code).toBe('42501');
    }
    for (const id of [cancelled, completed]) {
      const refused = await serviceClient().rpc('start_interview', { interview_id: id });
      expect([refused.status, refused.error?.code, refused.error?.message]).toEqual([409, 'PT409', 'interview_not_startable']);
    }
    const unknown = await serviceClient().rpc('start_interview', { interview_id: crypto.randomUUID() });
    expect([unknown.status, unknown.error?.message]).toEqual([400, 'unknown_interview']);
    const { rows } = await db().query<{ status: string }>(
      'select status from public.interviews where id = any($1) order by job_position', [[cancelled, completed]]);
    expect(rows.map((r) => r.status)).toEqual(['cancelled', 'completed']);
  });
});
