import { XMLBuilder, XMLParser, XMLValidator } from 'fast-xml-parser';

/**
 * The one XML reader and writer of the endpoint (S3's REST-XML bodies, the Query protocol's
 * answers), on fast-xml-parser: linear in the input, so a hostile body costs its length, not its
 * length squared.
 */

/** One XML element: its local name (namespace prefix dropped), child elements and text. */
export interface XmlElement {
  readonly name: string;
  readonly children: readonly XmlElement[];
  /** The element's own text (entity-decoded, CDATA included), children's text left out. */
  readonly text: string;
}

/** A document that is not well-formed XML, or one with a DTD (never needed, and a way to expand entities). */
export class XmlSyntaxError extends Error {}

type OrderedNode = Record<string, unknown> & { '#text'?: unknown };

const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: true,
  removeNSPrefix: true,
  parseTagValue: false,
  trimValues: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
  // Numeric character references (&#65;) are XML; the named HTML ones come along with them.
  htmlEntities: true,
});

/**
 * Parses a whole document and returns its root element. Throws {@link XmlSyntaxError} for
 * anything that is not one well-formed element (unclosed or mismatched tags, text outside the
 * root, two roots, a DOCTYPE). Time and memory are linear in the length of `source`.
 */
export function parseXml(source: string): XmlElement {
  if (/<!DOCTYPE/i.test(source)) throw new XmlSyntaxError('a DOCTYPE is not allowed');
  // The parser stops at the first broken tag in linear time; the validator, also linear but
  // slower, then catches what the parser tolerates (unclosed or mismatched tags).
  let nodes: OrderedNode[];
  try {
    nodes = parser.parse(source) as OrderedNode[];
  } catch (err) {
    throw new XmlSyntaxError((err as Error).message);
  }
  const valid = XMLValidator.validate(source);
  if (valid !== true) throw new XmlSyntaxError(`${valid.err.msg} (line ${valid.err.line})`);
  const roots = nodes.map(toElement).filter((e): e is XmlElement => e !== undefined);
  if (roots.length !== 1) throw new XmlSyntaxError(`a document has one root element (found ${roots.length})`);
  return roots[0]!;
}

function toElement(node: OrderedNode): XmlElement | undefined {
  const name = Object.keys(node).find((k) => k !== ':@' && k !== '#text');
  if (name === undefined) return undefined;
  const content = (node[name] ?? []) as OrderedNode[];
  const children: XmlElement[] = [];
  let text = '';
  for (const child of content) {
    if ('#text' in child) text += String(child['#text']);
    else {
      const element = toElement(child);
      if (element) children.push(element);
    }
  }
  return { name, children, text };
}

/** Child elements with a name. */
export function childrenNamed(element: XmlElement, name: string): XmlElement[] {
  return element.children.filter((c) => c.name === name);
}

/** The trimmed text of the first child with a name. */
export function childText(element: XmlElement, name: string): string | undefined {
  return element.children.find((c) => c.name === name)?.text.trim();
}

/**
 * Escapes text for an element or attribute. `\r` is written as `&#13;` so that a reader's
 * line-end normalization cannot turn a message's CRLF into LF.
 */
export function xmlEscape(text: string): string {
  return text.replace(/[&<>"'\r]/g, (c) => ESCAPES[c]!);
}

const ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
  '\r': '&#13;',
};

/** A value for {@link buildXml}: text, nested elements, or a list of repeated elements. */
export type XmlValue = string | number | boolean | undefined | XmlNode | readonly XmlValue[];
/** Element name → value; an array repeats the element; undefined leaves it out. */
export interface XmlNode {
  readonly [name: string]: XmlValue;
}

const builder = new XMLBuilder({
  ignoreAttributes: true,
  processEntities: false,
  tagValueProcessor: (_name: string, value: unknown) => xmlEscape(String(value)),
});

/** Serializes elements: `{ A: 'x', B: [{ C: 1 }, { C: 2 }] }` → `<A>x</A><B><C>1</C></B><B><C>2</C></B>`. */
export function buildXml(node: XmlNode): string {
  return builder.build(node) as string;
}
