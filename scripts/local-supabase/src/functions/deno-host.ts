// Runs inside Deno (not Node): the local edge runtime. One long-lived process serves every
// function: `/<name>[/rest]` imports supabase/functions/<name>/index.ts on first use and calls its
// exported `handle(req)`, so the function sees the same path as under the Supabase edge runtime.
// Started by deno-process.ts: deno run -A [--config supabase/functions/deno.json] deno-host.ts <functionsDir> <port>
// Prints one JSON line {"port": n} once listening.

interface DenoServeOptions { hostname: string; port: number; onListen(addr: { port: number }): void }
declare const Deno: {
  args: string[];
  serve(options: DenoServeOptions, handler: (req: Request) => Promise<Response>): unknown;
  stat(path: string): Promise<{ isFile: boolean }>;
  stdin: { readable: ReadableStream<Uint8Array> };
  exit(code: number): never;
};

type FunctionModule = { handle?: (req: Request) => Promise<Response> | Response; default?: unknown };

const functionsDir = Deno.args[0].replace(/\/+$/, '');
const port = Number(Deno.args[1] ?? '0');
const modules = new Map<string, Promise<FunctionModule>>();
const NAME = /^[A-Za-z0-9][A-Za-z0-9_-]*$/;

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
}

async function exists(file: string): Promise<boolean> {
  try {
    return (await Deno.stat(file)).isFile;
  } catch {
    return false;
  }
}

async function route(req: Request): Promise<Response> {
  const name = new URL(req.url).pathname.split('/')[1] ?? '';
  const entry = `${functionsDir}/${name}/index.ts`;
  if (!NAME.test(name) || !(await exists(entry))) {
    return new Response('Function not found', { status: 404, headers: { 'Content-Type': 'text/plain' } });
  }
  let loading = modules.get(name);
  if (!loading) {
    loading = import(`file://${entry}`) as Promise<FunctionModule>;
    modules.set(name, loading);
  }
  let mod: FunctionModule;
  try {
    mod = await loading;
  } catch (error) {
    modules.delete(name);
    console.error(`function ${name} failed to boot:`, error);
    return json(503, { code: 'BOOT_ERROR', message: 'Worker failed to boot (please check logs)' });
  }
  if (typeof mod.handle !== 'function') {
    console.error(`function ${name} must export async function handle(req: Request): Promise<Response>`);
    return json(503, { code: 'BOOT_ERROR', message: 'Worker failed to boot (please check logs)' });
  }
  try {
    return await mod.handle(req);
  } catch (error) {
    console.error(`function ${name} threw:`, error);
    return json(500, { code: 'WORKER_ERROR', message: 'Function exited due to an error (please check logs)' });
  }
}

// The gateway holds our stdin open; when the API server dies (even by SIGKILL) it closes, and
// the host exits instead of lingering as an orphan.
void (async () => {
  const reader = Deno.stdin.readable.getReader();
  while (!(await reader.read()).done) { /* the gateway never writes */ }
  Deno.exit(0);
})();

Deno.serve({ hostname: '127.0.0.1', port, onListen: ({ port }) => console.log(JSON.stringify({ port })) }, route);
