// Positional parameters for the SQL the REST layer builds: values never enter the SQL text.
export class SqlParams {
  readonly values: unknown[] = [];

  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}
