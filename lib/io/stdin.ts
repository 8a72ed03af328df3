/** The file argument that means standard input. */
export const STDIN = '-';
