// Runs inside Deno (not Node): the local edge runtime. One long-lived process serves every
// function: `/<name>[/rest]` calls the exported `handle(req)` of supabase/functions/<name>/index.ts,
// so the function sees the same path as under the Supabase edge runtime.
// Started by deno-process.ts: deno run -A --cached-only --frozen [--config supabase/functions/deno.json] deno-host.ts <functionsDir> <port>
// Boots every function (imports its index.ts) before listening, then prints one JSON line
// {"port": n, "boot": {"<name>": null | "<boot error>"}}: the gateway can then tell whether every
// function boots (`npm start` refuses to say ready otherwise). A function that failed is imported
// again at its next request (and answers 503 BOOT_ERROR while it still fails), as before.

interface DenoServeOptions { hostname: string; port: number; onListen(addr: { port: number }): void }
declare const Deno: {
  args: string[];
  serve(options: DenoServeOptions, handler: (req: Request) => Promise<Response>): unknown;
  stat(path: string): Promise<{ isFile: boolean }>;
  readDir(path: string): AsyncIterable<{ name: string; isDirectory: boolean }>;
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

/** The function's module, or why it cannot boot (logged; imported again next time). */
async function boot(name: string, entry: string): Promise<FunctionModule & { handle: (req: Request) => Promise<Response> | Response } | string> {
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
    return `function ${name} failed to boot: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`;
  }
  const { handle } = mod;
  if (typeof handle !== 'function') {
    modules.delete(name);
    const why = `function ${name} must export async function handle(req: Request): Promise<Response>`;
    console.error(why);
    return why;
  }
  return { ...mod, handle };
}

/** Boots every function folder (`<name>/index.ts`), in order: what each one's boot says. */
async function bootAll(): Promise<Record<string, string | null>> {
  const report: Record<string, string | null> = {};
  const names: string[] = [];
  for await (const entry of Deno.readDir(functionsDir)) {
    if (entry.isDirectory && NAME.test(entry.name) && entry.name !== 'tests' && (await exists(`${functionsDir}/${entry.name}/index.ts`))) names.push(entry.name);
  }
  for (const name of names.sort()) {
    const booted = await boot(name, `${functionsDir}/${name}/index.ts`);
    report[name] = typeof booted === 'string' ? booted : null;
  }
  return report;
}

async function route(req: Request): Promise<Response> {
  const name = new URL(req.url).pathname.split('/')[1] ?? '';
  const entry = `${functionsDir}/${name}/index.ts`;
  if (!NAME.test(name) || !(await exists(entry))) {
    return new Response('Function not found', { status: 404, headers: { 'Content-Type': 'text/plain' } });
  }
  const booted = await boot(name, entry);
  if (typeof booted === 'string') return json(503, { code: 'BOOT_ERROR', message: 'Worker failed to boot (please check logs)' });
  const mod = booted;
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

// Top-level await: this file is a module (the `export {}` below says so to tsc).
const bootReport = await bootAll();
Deno.serve({ hostname: '127.0.0.1', port, onListen: ({ port }) => console.log(JSON.stringify({ port, boot: bootReport })) }, route);

export {};
