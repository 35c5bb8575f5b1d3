// What a deploy ships: `supabase functions deploy` takes every <name>/index.ts and bundles the
// modules it imports. So _shared/ and the function folders must hold only such modules (tests and
// their helpers live here, under tests/), and no function may import anything from tests/.
import assert from 'node:assert/strict';

const FUNCTIONS_DIR = new URL('../', import.meta.url);
const TESTS_DIR = new URL('./', import.meta.url);

/** The functions as the CLI finds them: the folders with an index.ts (tests/ has none). */
async function functionEntries(): Promise<URL[]> {
  const entries: URL[] = [];
  for await (const entry of Deno.readDir(FUNCTIONS_DIR)) {
    const index = new URL(`${entry.name}/index.ts`, FUNCTIONS_DIR);
    if (entry.isDirectory && await Deno.stat(index).then((s) => s.isFile, () => false)) entries.push(index);
  }
  assert.ok(entries.length > 0, 'no function folders found');
  return entries;
}

/** The local modules a deploy of `entry` bundles, from `deno info` (the module graph Deno resolves). */
async function localModules(entry: URL): Promise<string[]> {
  const output = await new Deno.Command(Deno.execPath(), {
    args: ['info', '--json', '--config', new URL('deno.json', FUNCTIONS_DIR).pathname, entry.pathname],
    stdout: 'piped',
    stderr: 'piped',
  }).output();
  assert.equal(output.code, 0, new TextDecoder().decode(output.stderr));
  const graph = JSON.parse(new TextDecoder().decode(output.stdout)) as { modules: { specifier: string }[] };
  return graph.modules.map((m) => m.specifier).filter((s) => s.startsWith('file:'));
}

async function deployedModules(): Promise<Set<string>> {
  const modules = new Set<string>();
  for (const entry of await functionEntries()) for (const m of await localModules(entry)) modules.add(m);
  return modules;
}

/** Every .ts file under `dir`, as file: URLs. */
async function tsFiles(dir: URL): Promise<string[]> {
  const files: string[] = [];
  for await (const entry of Deno.readDir(dir)) {
    const child = new URL(entry.isDirectory ? `${entry.name}/` : entry.name, dir);
    if (entry.isDirectory) files.push(...await tsFiles(child));
    else if (entry.name.endsWith('.ts')) files.push(child.href);
  }
  return files;
}

Deno.test('every module in _shared/ and the function folders is one some function deploys (no test code there)', async () => {
  const deployed = await deployedModules();
  const folders = [new URL('_shared/', FUNCTIONS_DIR), ...(await functionEntries()).map((index) => new URL('./', index))];
  const present = (await Promise.all(folders.map(tsFiles))).flat();
  const notDeployed = present.filter((file) => !deployed.has(file)).map((file) => file.slice(FUNCTIONS_DIR.href.length)).sort();
  assert.deepEqual(notDeployed, [], 'not imported by any function: move test code to supabase/functions/tests/, delete dead code');
});

Deno.test('no function imports anything from tests/', async () => {
  const fromTests = [...await deployedModules()].filter((m) => m.startsWith(TESTS_DIR.href));
  assert.deepEqual(fromTests, []);
});
