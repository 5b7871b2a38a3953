/**
 * Runs `fn` with some environment variables set, then restores them. dynalite and kinesalite
 * read the region and account for their ARNs from `process.env` once, when their store is
 * created, and offer no option for it.
 */
export function withProcessEnv<T>(vars: Readonly<Record<string, string>>, fn: () => T): T {
  const saved = new Map<string, string | undefined>();
  for (const [name, value] of Object.entries(vars)) {
    saved.set(name, process.env[name]);
    process.env[name] = value;
  }
  try {
    return fn();
  } finally {
    for (const [name, value] of saved) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  }
}
