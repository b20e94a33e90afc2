export type Route = { name: 'ward' } | { name: 'bed'; bedId: string } | { name: 'alarms' };

/** Hash routes, so the server only ever serves `/`: #/ (ward), #/bed/<id>, #/alarms. */
export function parseRoute(hash: string): Route {
  const path = hash.replace(/^#/, '');
  const bed = /^\/bed\/([^/]+)\/?$/.exec(path);
  if (bed) {
    try {
      return { name: 'bed', bedId: decodeURIComponent(bed[1]) };
    } catch {
      return { name: 'ward' };
    }
  }
  if (/^\/alarms\/?$/.test(path)) return { name: 'alarms' };
  return { name: 'ward' };
}
