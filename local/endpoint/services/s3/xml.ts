/** One XML element: its local name (namespace prefix dropped), child elements and text. */
export interface XmlElement {
  readonly name: string;
  readonly children: XmlElement[];
  text: string;
}

const ENTITIES: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, ref: string) => {
    if (ref[0] === '#') {
      const code = ref[1] === 'x' || ref[1] === 'X' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
      return Number.isFinite(code) ? String.fromCodePoint(code) : whole;
    }
    return ENTITIES[ref.toLowerCase()] ?? whole;
  });
}

/**
 * Parses the small XML documents S3 requests carry (DeleteObjects, CompleteMultipartUpload,
 * notification and bucket configurations). Attributes are ignored; text is entity-decoded.
 * Throws on malformed input so the caller can answer `MalformedXML`.
 */
export function parseXml(source: string): XmlElement {
  const root: XmlElement = { name: '#document', children: [], text: '' };
  const stack: XmlElement[] = [root];
  const tag = /<(\/?)([A-Za-z_][\w.:-]*)([^>]*?)(\/?)>|<\?[\s\S]*?\?>|<!--[\s\S]*?-->|<!\[CDATA\[([\s\S]*?)\]\]>/g;
  let last = 0;
  for (let m = tag.exec(source); m; m = tag.exec(source)) {
    const top = stack[stack.length - 1]!;
    top.text += decodeEntities(source.slice(last, m.index));
    last = tag.lastIndex;
    if (m[5] !== undefined) {
      top.text += m[5];
      continue;
    }
    if (!m[2]) continue;
    const name = m[2].includes(':') ? m[2].slice(m[2].indexOf(':') + 1) : m[2];
    if (m[1]) {
      if (top.name !== name || stack.length === 1) throw new Error(`unexpected </${name}>`);
      stack.pop();
    } else {
      const element: XmlElement = { name, children: [], text: '' };
      top.children.push(element);
      if (!m[4]) stack.push(element);
    }
  }
  if (stack.length !== 1 || root.children.length !== 1) throw new Error('unbalanced document');
  return root.children[0]!;
}

/** Child elements with a name. */
export function childrenNamed(element: XmlElement, name: string): XmlElement[] {
  return element.children.filter((c) => c.name === name);
}

/** The trimmed text of the first child with a name. */
export function childText(element: XmlElement, name: string): string | undefined {
  return element.children.find((c) => c.name === name)?.text.trim();
}

/** Escapes text for an XML element body. */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&${{ '&': 'amp', '<': 'lt', '>': 'gt', '"': 'quot', "'": 'apos' }[c]};`);
}

/** A value for {@link toXml}: text, nested elements, or a list of repeated elements. */
export type XmlValue = string | number | boolean | undefined | XmlNode | readonly XmlNode[];
/** Element name → value; arrays repeat the element. */
export interface XmlNode {
  readonly [name: string]: XmlValue | readonly XmlValue[];
}

/** Serializes a plain object to XML elements (undefined values are left out). */
export function toXml(node: XmlNode): string {
  let out = '';
  for (const [name, value] of Object.entries(node)) {
    const values = Array.isArray(value) ? (value as readonly XmlValue[]) : [value as XmlValue];
    for (const v of values) {
      if (v === undefined) continue;
      out +=
        typeof v === 'object'
          ? `<${name}>${toXml(v as XmlNode)}</${name}>`
          : `<${name}>${escapeXml(String(v))}</${name}>`;
    }
  }
  return out;
}
