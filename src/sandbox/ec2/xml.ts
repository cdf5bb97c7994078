/**
 * The EC2 Query protocol answers in XML whose element names are the SDK schema's `xmlName`s
 * (lowerCamel), with every list wrapped as `<name><item>…</item></name>`.
 */
export type XmlValue = string | number | boolean | Date | null | undefined | XmlObject | XmlValue[];
export interface XmlObject {
  [element: string]: XmlValue;
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

export function escapeXml(text: string): string {
  return /[&<>"']/.test(text) ? text.replace(/[&<>"']/g, (c) => ESCAPES[c]) : text;
}

function scalar(value: string | number | boolean | Date): string {
  if (value instanceof Date) return value.toISOString();
  return escapeXml(String(value));
}

/** Appends `<name>…</name>` to `out`; undefined and null values are left out, as EC2 does. */
export function writeElement(out: string[], name: string, value: XmlValue): void {
  if (value === undefined || value === null) return;
  if (Array.isArray(value)) {
    if (value.length === 0) {
      out.push(`<${name}/>`);
      return;
    }
    out.push(`<${name}>`);
    for (const item of value) writeElement(out, 'item', item);
    out.push(`</${name}>`);
    return;
  }
  if (typeof value === 'object' && !(value instanceof Date)) {
    out.push(`<${name}>`);
    writeFields(out, value);
    out.push(`</${name}>`);
    return;
  }
  out.push(`<${name}>${scalar(value)}</${name}>`);
}

export function writeFields(out: string[], fields: XmlObject): void {
  for (const key in fields) writeElement(out, key, fields[key]);
}

export const EC2_XMLNS = 'http://ec2.amazonaws.com/doc/2016-11-15/';

export function responseXml(action: string, requestId: string, body: XmlObject): string {
  const out: string[] = [
    `<?xml version="1.0" encoding="UTF-8"?><${action}Response xmlns="${EC2_XMLNS}"><requestId>${requestId}</requestId>`,
  ];
  writeFields(out, body);
  out.push(`</${action}Response>`);
  return out.join('');
}

export function errorXml(code: string, message: string, requestId: string): string {
  return (
    `<?xml version="1.0" encoding="UTF-8"?><Response><Errors><Error><Code>${escapeXml(code)}</Code>` +
    `<Message>${escapeXml(message)}</Message></Error></Errors><RequestID>${requestId}</RequestID></Response>`
  );
}

/** Tags in EC2's `tagSet` shape. */
export function tagSet(tags: Record<string, string>): XmlObject[] {
  const items: XmlObject[] = [];
  for (const key in tags) items.push({ key, value: tags[key] });
  return items;
}
