/** One benchmark figure as a line: its name, its value, its target (every bench command prints these). */
export const row = (name: string, value: number | string | null, target = ''): void => {
  const v = value === null ? 'n/a (needs --expose-gc)' : typeof value === 'number' ? value.toLocaleString('en') : value;
  console.log(`${name.padEnd(64)} ${v.padStart(14)}   ${target && `target ${target}`}`);
};
