const cache = new Map<string, RegExp>();

/**
 * IAM's wildcard match: `*` is any run of characters (including none, `:` and `/`), `?` is one
 * character; the whole value must match. Actions compare case-insensitively, ARNs and condition
 * strings case-sensitively.
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html#reference_policies_elements_resource_wildcards
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html
 */
export function wildcardMatch(pattern: string, value: string, ignoreCase: boolean): boolean {
  if (pattern === '*') return true;
  if (!pattern.includes('*') && !pattern.includes('?')) {
    return ignoreCase ? pattern.toLowerCase() === value.toLowerCase() : pattern === value;
  }
  const cacheKey = `${ignoreCase ? 'i' : 's'}${pattern}`;
  let re = cache.get(cacheKey);
  if (!re) {
    const source = pattern
      .split('')
      .map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
      .join('');
    re = new RegExp(`^${source}$`, ignoreCase ? 'is' : 's');
    cache.set(cacheKey, re);
  }
  return re.test(value);
}
