import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

/** Content types of what apps/dashboard/build.js emits; anything else is not served. */
const CONTENT_TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.map': 'application/json; charset=utf-8',
  '.html': 'text/html; charset=utf-8',
};

/** Flat asset names only: no directories, no dot files, so a request can never leave the assets folder. */
const ASSET_NAME = /^[a-z0-9][a-z0-9-]*(\.[a-z0-9]+)+$/i;

export interface DashboardFile {
  body: Buffer;
  contentType: string;
}

/**
 * The repository (or installed package) root: the nearest folder upwards with a package.json. Works
 * from apps/alerting/src/dashboard (ts-node, jest) and from dist/apps/alerting/src/dashboard (built).
 */
export function findPackageRoot(startDir: string): string {
  let dir = startDir;
  for (;;) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no package.json above ${startDir}: cannot locate dist/dashboard`);
    dir = parent;
  }
}

export function defaultDashboardDir(): string {
  return join(findPackageRoot(__dirname), 'dist', 'dashboard');
}

/** Reads the built dashboard from disk (small files, page loads are rare; a rebuild is served without a restart). */
export class DashboardFiles {
  constructor(readonly dir: string) {}

  isBuilt(): boolean {
    return existsSync(join(this.dir, 'index.html'));
  }

  index(): Promise<DashboardFile | null> {
    return this.read(join(this.dir, 'index.html'), '.html');
  }

  /** null when the name is not a servable asset or the file does not exist. */
  asset(name: string): Promise<DashboardFile | null> {
    if (!ASSET_NAME.test(name)) return Promise.resolve(null);
    const ext = name.slice(name.lastIndexOf('.')).toLowerCase();
    if (!CONTENT_TYPES[ext] || ext === '.html') return Promise.resolve(null);
    return this.read(join(this.dir, 'assets', name), ext);
  }

  private async read(path: string, ext: string): Promise<DashboardFile | null> {
    try {
      return { body: await readFile(path), contentType: CONTENT_TYPES[ext] };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
  }
}
