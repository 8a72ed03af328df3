import { execFileSync } from 'node:child_process';

let built = false;

/**
 * Build dist/ (`npm run build`) once per test process, for the specs that run the package as its
 * users do (bin, packed tarball): they never test a stale build.
 */
export function buildOnce(): void {
  if (built) return;
  execFileSync('npm', ['run', '--silent', 'build'], { stdio: ['ignore', 'ignore', 'inherit'] });
  built = true;
}
