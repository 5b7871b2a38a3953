/**
 * Renders template values built from tokens into text a test can parse: `Ref` and `Fn::GetAtt` become
 * `{{Ref:<id>}}` and `{{GetAtt:<id>.<attribute>}}`, so a test can check which resource a value points at.
 */

/** The placeholder for `Ref` of a logical id. */
export const refOf = (id: string): string => `{{Ref:${id}}}`;
/** The placeholder for `Fn::GetAtt` of a logical id's attribute. */
export const getAttOf = (id: string, attribute: string): string => `{{GetAtt:${id}.${attribute}}}`;

/** Renders a string-valued template expression (`Fn::Join`, `Ref`, `Fn::GetAtt`, a literal). */
export function renderTokens(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'object' && value !== null) {
    const v = value as Record<string, unknown>;
    if (typeof v['Ref'] === 'string') return refOf(v['Ref']);
    const getAtt = v['Fn::GetAtt'];
    if (Array.isArray(getAtt)) return getAttOf(String(getAtt[0]), String(getAtt[1]));
    const join = v['Fn::Join'];
    if (Array.isArray(join)) {
      const [separator, parts] = join as [string, unknown[]];
      return parts.map(renderTokens).join(separator);
    }
  }
  throw new Error(`cannot render ${JSON.stringify(value)}`);
}
