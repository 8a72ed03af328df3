type Intersect<U> = (U extends unknown ? (x: U) => void : never) extends (x: infer I) => void ? I : never;

/**
 * Join per-aggregate tables (event schemas, handler maps) into one. A plain object spread lets the
 * last table silently win when two aggregates claim the same event type; this refuses it at
 * module load, naming the key and both tables. The result is prototype-free, so a key such as
 * 'constructor' or 'toString' is never found on it by accident.
 */
export function joinDisjoint<T extends Readonly<Record<string, object>>>(what: string, tables: T): Intersect<T[keyof T]> {
  const out: Record<string, unknown> = Object.create(null);
  const owner: Record<string, string> = Object.create(null);
  for (const tableName of Object.keys(tables)) {
    const table = tables[tableName] as Readonly<Record<string, unknown>>;
    for (const key of Object.keys(table)) {
      if (key in owner) throw new Error(`${what}: '${key}' is defined by both ${owner[key]} and ${tableName}`);
      owner[key] = tableName;
      out[key] = table[key];
    }
  }
  return out as Intersect<T[keyof T]>;
}
