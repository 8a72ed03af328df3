/**
 * A stable pid per requester (device or task) name, from a string hash: no randomness, so the
 * ftrace `comm-pid` of a device is the same in every run and in every requester's events.
 */
export function pidFor(name: string): number {
  let h = 2166136261;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 16777619) >>> 0;
  return 1000 + (h % 30000);
}
