// Twilio refuses WhatsApp bodies over 1,600 characters; longer texts go out in parts.
const MAX_PART_LENGTH = 1500;

/** Splits a text into parts that fit one WhatsApp message, preferring paragraph and line breaks. */
export function splitForWhatsApp(text: string, maxLength = MAX_PART_LENGTH): string[] {
  const parts: string[] = [];
  let rest = text.trim();
  while (rest.length > maxLength) {
    const window = rest.slice(0, maxLength);
    const cut = Math.max(window.lastIndexOf('\n\n'), window.lastIndexOf('\n'), window.lastIndexOf(' '));
    const at = cut > maxLength / 2 ? cut : maxLength;
    parts.push(rest.slice(0, at).trim());
    rest = rest.slice(at).trim();
  }
  if (rest.length > 0 || parts.length === 0) parts.push(rest);
  return parts;
}
