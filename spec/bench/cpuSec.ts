/** CPU seconds this process has used (user + system): a rate per CPU second stays comparable on a shared, loaded machine. */
export const cpuSec = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};
