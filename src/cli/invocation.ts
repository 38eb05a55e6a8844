import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { delimiter, dirname, join, relative, sep } from 'node:path';

const real = (p: string) => {
  try {
    return realpathSync(p);
  } catch {
    return p;
  }
};

/** The connmodel package a script belongs to: the nearest folder above it whose package.json is connmodel's. */
export function packageRootOf(script: string): string | null {
  let dir = dirname(script);
  for (;;) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg)) {
      try {
        if ((JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'connmodel') return dir;
      } catch {
        /* not ours: keep looking */
      }
    }
    const up = dirname(dir);
    if (up === dir) return null;
    dir = up;
  }
}

const inside = (dir: string, root: string) => dir === root || dir.startsWith(`${root}${sep}`);

/**
 * How the user can run connmodel from where they ran it, for the hints we
 * print (`replay: npx connmodel replay out/x.trace.json`):
 * - run through npx or an npm script, or from inside the package (a checkout
 *   after `npm ci`): `npx connmodel`, which finds the package's own `bin`;
 * - installed on PATH (`npm link`, a global install) as this very script: `connmodel`;
 * - otherwise the script itself: `node path/to/dist/src/cli.js`.
 * Anything that is not the command line (a library call, a test) gets the plain name.
 */
export function invocation(script: string | undefined = process.argv[1], cwd = process.cwd(), env: NodeJS.ProcessEnv = process.env): string {
  if (!script || !/[/\\]src[/\\]cli\.[jt]s$/.test(script)) return 'connmodel';
  const self = real(script);
  const root = packageRootOf(self);
  if (env.npm_command === 'exec' || env.npm_lifecycle_event !== undefined) return 'npx connmodel';
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (dir && existsSync(join(dir, 'connmodel')) && real(join(dir, 'connmodel')) === self) return 'connmodel';
  }
  if (root !== null && inside(real(cwd), root)) return 'npx connmodel';
  // A TypeScript entry (run with tsx) has a compiled twin that plain node runs.
  const js = self.endsWith('.ts') && root !== null ? join(root, 'dist', 'src', 'cli.js') : self;
  const path = relative(cwd, js);
  return `node ${path.includes(' ') ? `'${path}'` : path}`;
}
