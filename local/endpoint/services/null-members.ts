/**
 * The first `null` inside a JSON list of a request, as AWS names the place in its validation
 * message (`records.2.member`), or undefined. dynalite and kinesalite read list members without
 * checking them, some inside a stream's or table's lock, which a throw then never releases; AWS
 * refuses such a request before it runs.
 * @see https://smithy.io/2.0/aws/protocols/aws-json-1_0-protocol.html
 */
export function nullListMember(value: unknown, path = ''): string | undefined {
  if (Array.isArray(value)) {
    for (const [i, member] of value.entries()) {
      const at = `${path}.${i + 1}.member`;
      if (member === null) return at.replace(/^\./, '');
      const inner = nullListMember(member, at);
      if (inner) return inner;
    }
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  for (const [name, member] of Object.entries(value)) {
    const inner = nullListMember(member, path ? `${path}.${lowerFirst(name)}` : lowerFirst(name));
    if (inner) return inner;
  }
  return undefined;
}

/** The validation message for {@link nullListMember}'s place. */
export function nullMemberMessage(at: string): string {
  return `1 validation error detected: Value null at '${at}' failed to satisfy constraint: Member must not be null`;
}

function lowerFirst(name: string): string {
  return name.charAt(0).toLowerCase() + name.slice(1);
}
