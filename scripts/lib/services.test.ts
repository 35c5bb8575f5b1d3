// `npm start` supervises the API: a service started with `restart` that dies is started again,
// after printing why (exit code or signal, and its last stderr lines), with a doubling delay.
// The probe is a tiny Node HTTP server started through the same startService helper.
import { afterAll, describe, expect, it, vi } from 'vitest';
import { startService, type Service } from './services.ts';
import { freePort, waitFor } from '../../test-support/stack.ts';

const PORT = await freePort();
const URL = `http://127.0.0.1:${PORT}`;
// GET /die writes a last word to stderr and exits 3; anything else answers with the pid.
const PROBE = `
  require('node:http').createServer((req, res) => {
    if (req.url === '/die') { console.error('probe: dying on request ' + process.pid); process.exit(3); }
    res.end(String(process.pid));
  }).listen(${PORT}, '127.0.0.1');`;

let service: Service | undefined;
afterAll(async () => { await service?.stop(); });

const pidAnswering = async (): Promise<number | undefined> => {
  try {
    return Number(await (await fetch(URL, { signal: AbortSignal.timeout(500) })).text());
  } catch {
    return undefined;
  }
};

describe('a supervised service', () => {
  it('comes back after a crash or a kill, says why, and backs off', async () => {
    const reports: string[] = [];
    const spy = vi.spyOn(console, 'error').mockImplementation((...parts: unknown[]) => { reports.push(parts.join(' ')); });
    try {
      service = await startService('restart-probe', process.execPath, ['-e', PROBE], URL, { restart: { firstDelayMs: 50 } });
      const first = service.child.pid!;
      expect(await pidAnswering()).toBe(first);

      await fetch(`${URL}/die`).catch(() => undefined);
      await waitFor(async () => { const pid = await pidAnswering(); return pid !== undefined && pid !== first; }, 5000);
      expect(reports[0]).toContain('[restart-probe] exited unexpectedly (exit code 3); restarting in 50 ms');
      expect(reports[0]).toContain(`probe: dying on request ${first}`);

      const second = service.child.pid!;
      process.kill(second, 'SIGKILL');
      await waitFor(async () => { const pid = await pidAnswering(); return pid !== undefined && pid !== second; }, 5000);
      expect(reports[1]).toContain('exited unexpectedly (killed by SIGKILL); restarting in 100 ms');
      expect(reports[1]).toContain('(none)');

      const third = service.child.pid!;
      await service.stop();
      await new Promise((r) => setTimeout(r, 300));
      expect({ answering: await pidAnswering(), reports: reports.length, same: service.child.pid }).toEqual({ answering: undefined, reports: 2, same: third });
    } finally {
      spy.mockRestore();
    }
  });
});
