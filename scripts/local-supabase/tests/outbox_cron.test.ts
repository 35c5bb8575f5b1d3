// The stand-in's stand-in for the hosted pg_cron + pg_net jobs (send-email's, auto-topup's): while it runs, the function is called
// with the secret key every interval, one call at a time, and a failing call is logged once (not
// every tick) until it changes.
import http from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { startOutboxCron, type OutboxCron } from '../src/functions/outbox-cron.ts';

interface Seen { at: number; authorization: string | undefined; method: string | undefined }

let server: http.Server | undefined;
let cron: OutboxCron | undefined;

afterEach(async () => {
  await cron?.stop();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
  cron = undefined;
});

/** A function endpoint that takes `delayMs` to answer `status`; what it saw, and how many calls overlapped. */
async function endpoint(status: number, delayMs = 0): Promise<{ url: string; seen: Seen[]; maxInFlight: () => number }> {
  const seen: Seen[] = [];
  let inFlight = 0;
  let max = 0;
  server = http.createServer((req, res) => {
    inFlight += 1;
    max = Math.max(max, inFlight);
    seen.push({ at: Date.now(), authorization: req.headers.authorization, method: req.method });
    req.resume();
    setTimeout(() => {
      inFlight -= 1;
      res.writeHead(status, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(status === 200 ? { claimed: 0, sent: 0, failed: 0, dead: 0 } : { error: { code: 'missing_env', message: 'Missing environment variable: EMAIL_API_KEY.' } }));
    }, delayMs);
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', () => resolve()));
  const address = server.address() as { port: number };
  return { url: `http://127.0.0.1:${address.port}/functions/v1/send-email`, seen, maxInFlight: () => max };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('the local outbox cron', () => {
  it('POSTs to send-email with the secret key every interval', async () => {
    const target = await endpoint(200);
    cron = startOutboxCron({ url: target.url, key: 'sb_secret_local', intervalMs: 50, log: () => {} });
    await sleep(400);
    expect(target.seen.length).toBeGreaterThanOrEqual(3);
    expect(target.seen.every((s) => s.method === 'POST' && s.authorization === 'Bearer sb_secret_local')).toBe(true);
  });

  it('never overlaps two calls, even when one takes longer than the interval', async () => {
    const target = await endpoint(200, 120);
    cron = startOutboxCron({ url: target.url, key: 'k', intervalMs: 20, log: () => {} });
    await sleep(500);
    expect(target.seen.length).toBeGreaterThanOrEqual(2);
    expect(target.maxInFlight()).toBe(1);
  });

  it('logs a failing answer once while it keeps failing the same way', async () => {
    const target = await endpoint(500);
    const lines: string[] = [];
    cron = startOutboxCron({ url: target.url, key: 'k', intervalMs: 20, log: (line) => lines.push(line) });
    await sleep(300);
    expect(target.seen.length).toBeGreaterThanOrEqual(3);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/send-email answered 500.*EMAIL_API_KEY/);
  });

  it('plays auto top-up\'s job too, naming it and its function in the log', async () => {
    const target = await endpoint(500);
    const lines: string[] = [];
    cron = startOutboxCron({ url: target.url.replace('send-email', 'auto-topup'), key: 'k', intervalMs: 20, log: (line) => lines.push(line),
      label: { job: 'auto-topup', fn: 'auto-topup', stays: 'the top-ups stay queued' } });
    await sleep(200);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^\[auto-topup\] auto-topup answered 500: .*\(the top-ups stay queued; retrying every 20 ms\)$/);
  });

  it('stops calling once stopped', async () => {
    const target = await endpoint(200);
    cron = startOutboxCron({ url: target.url, key: 'k', intervalMs: 20, log: () => {} });
    await sleep(100);
    await cron.stop();
    const count = target.seen.length;
    await sleep(150);
    expect(target.seen.length).toBe(count);
  });
});
