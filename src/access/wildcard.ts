/** IAM wildcard patterns (`*` any run, `?` one character) with optional policy variables (`${aws:username}`). */

/** Looks up a single-valued condition key for a policy variable; undefined when the request has no such key. */
export type VariableLookup = (key: string) => string | undefined;

const compiled = new Map<string, RegExp>();
const cacheLimit = 10_000;

const escapeRegex = (text: string): string => text.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');

/**
 * The regular expression of `pattern`; undefined when it references a variable the request lacks (IAM then
 * treats the element as not matching). Variables are resolved only when `variables` is given (Version 2012-10-17).
 */
export function wildcardRegex(
  pattern: string,
  caseInsensitive: boolean,
  variables?: VariableLookup,
): RegExp | undefined {
  const usesVariables = variables !== undefined && pattern.includes('${');
  const cacheKey = `${caseInsensitive ? 'i' : 's'}${pattern}`;
  if (!usesVariables) {
    const hit = compiled.get(cacheKey);
    if (hit !== undefined) return hit;
  }
  let source = '';
  for (let i = 0; i < pattern.length; i += 1) {
    const char = pattern[i] ?? '';
    if (usesVariables && char === '$' && pattern[i + 1] === '{') {
      const end = pattern.indexOf('}', i + 2);
      if (end !== -1) {
        const name = pattern.slice(i + 2, end).trim();
        const value = name === '*' || name === '?' || name === '$' ? name : variables(name);
        if (value === undefined) return undefined;
        source += escapeRegex(value);
        i = end;
        continue;
      }
    }
    source += char === '*' ? '.*' : char === '?' ? '.' : escapeRegex(char);
  }
  const regex = new RegExp(`^${source}$`, caseInsensitive ? 'is' : 's');
  if (!usesVariables) {
    if (compiled.size >= cacheLimit) compiled.clear();
    compiled.set(cacheKey, regex);
  }
  return regex;
}

/** Whether `value` matches the wildcard `pattern`. */
export function matchesWildcard(
  pattern: string,
  value: string,
  caseInsensitive: boolean,
  variables?: VariableLookup,
): boolean {
  if (pattern === '*') return true;
  return wildcardRegex(pattern, caseInsensitive, variables)?.test(value) ?? false;
}

/** `pattern` with its policy variables replaced by their values (no wildcards); undefined when one is missing. */
export function substituteVariables(
  pattern: string,
  variables: VariableLookup | undefined,
): string | undefined {
  if (variables === undefined || !pattern.includes('${')) return pattern;
  let missing = false;
  const result = pattern.replace(/\$\{([^}]*)\}/g, (_whole, raw: string) => {
    const name = raw.trim();
    if (name === '*' || name === '?' || name === '$') return name;
    const value = variables(name);
    if (value === undefined) missing = true;
    return value ?? '';
  });
  return missing ? undefined : result;
}
