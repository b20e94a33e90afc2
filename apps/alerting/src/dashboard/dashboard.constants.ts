/** Injection token: absolute path of the built dashboard (dist/dashboard). */
export const DASHBOARD_DIR = Symbol('DASHBOARD_DIR');
