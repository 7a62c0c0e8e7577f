import { execFileSync } from 'node:child_process';

/**
 * Installs Debian packages with apt (as root, waiting for another install's lock), for tests that
 * need a program the machine may lack, such as Debian's chromium. Throws naming the packages when
 * the install fails.
 */
export function aptInstall(...packages: string[]): void {
  const apt = (...args: string[]): void => {
    execFileSync('apt-get', ['-q', '-o', 'DPkg::Lock::Timeout=600', ...args], {
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
  };
  try {
    apt('update');
    apt('install', '-y', '--no-install-recommends', ...packages);
  } catch (error) {
    throw new Error(`installing Debian's ${packages.join(', ')} failed: ${(error as Error).message}`);
  }
}
