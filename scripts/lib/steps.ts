// Prints numbered progress steps with their duration: `[2/5] applying migrations ... done in 1.2 s`.
export class Steps {
  private index = 0;
  constructor(private readonly total: number, private readonly prefix = '') {}

  async run<T>(title: string, work: () => Promise<T>): Promise<T> {
    this.index += 1;
    const label = `${this.prefix}[${this.index}/${this.total}] ${title}`;
    process.stdout.write(`${label} ...\n`);
    const start = performance.now();
    try {
      const result = await work();
      process.stdout.write(`${label} ... done in ${((performance.now() - start) / 1000).toFixed(1)} s\n`);
      return result;
    } catch (error) {
      process.stdout.write(`${label} ... FAILED after ${((performance.now() - start) / 1000).toFixed(1)} s\n`);
      throw error;
    }
  }
}
