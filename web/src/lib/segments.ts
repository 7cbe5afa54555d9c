// How many SMS parts a text takes, after GSM 03.38: the 7-bit default alphabet (basic
// table, plus the extension table whose characters cost an escape and themselves),
// else UCS-2. The same tables and rules as careline.messaging.model.count_segments,
// and the same folding as careline.reminders.model.to_gsm7 (what a reminder is sent as).

/** The GSM 03.38 basic table (127 characters; the 128th code is the escape). */
export const GSM7_BASIC =
  "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?" +
  "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
/** The extension table: each costs two septets (ESC + the character). */
export const GSM7_EXTENSION = "\f^{}\\[~]|€";

const BASIC = new Set(GSM7_BASIC);
const EXTENSION = new Set(GSM7_EXTENSION);

export const GSM7_SINGLE = 160;
export const GSM7_PART = 153;
export const UCS2_SINGLE = 70;
export const UCS2_PART = 67;

export type Encoding = "GSM-7" | "UCS-2";

export interface SegmentInfo {
  encoding: Encoding;
  /** Septets (GSM-7) or UTF-16 code units (UCS-2). */
  units: number;
  segments: number;
  /** Units that fit in each part at this length (160/153, 70/67). */
  perSegment: number;
  /** The first few characters outside GSM-7, which force UCS-2 (for the editor). */
  forcedBy: string[];
}

export function isGsm7(ch: string): boolean {
  return BASIC.has(ch) || EXTENSION.has(ch);
}

/** Parts needed when no character (an escape pair, a surrogate pair) may be split. */
function pack(costs: number[], size: number): number {
  let parts = 1;
  let used = 0;
  for (const cost of costs) {
    if (used + cost > size) {
      parts += 1;
      used = 0;
    }
    used += cost;
  }
  return parts;
}

/** Segments an SMS body takes. An empty body is zero segments. */
export function countSegments(text: string): SegmentInfo {
  const chars = Array.from(text); // code points: an emoji is one character, two UTF-16 units
  const outside = chars.filter((c) => !isGsm7(c));
  const gsm = outside.length === 0;
  const costs = gsm
    ? chars.map((c) => (EXTENSION.has(c) ? 2 : 1))
    : chars.map((c) => ((c.codePointAt(0) ?? 0) > 0xffff ? 2 : 1));
  const [single, part] = gsm ? [GSM7_SINGLE, GSM7_PART] : [UCS2_SINGLE, UCS2_PART];
  const units = costs.reduce((a, b) => a + b, 0);
  let segments: number;
  let perSegment = single;
  if (units === 0) segments = 0;
  else if (units <= single) segments = 1;
  else {
    segments = pack(costs, part);
    perSegment = part;
  }
  return {
    encoding: gsm ? "GSM-7" : "UCS-2",
    units,
    segments,
    perSegment,
    forcedBy: [...new Set(outside)].slice(0, 5),
  };
}

/**
 * Fold characters with no GSM-7 form to their base letter (á → a, í → i), keeping the
 * ones GSM-7 has (é, ñ, ü, ¿, ¡): what careline does to a reminder before sending it,
 * so a Spanish text is not forced into UCS-2 (70 characters a part).
 */
export function toGsm7(text: string): string {
  let out = "";
  for (const ch of text) {
    if (isGsm7(ch)) {
      out += ch;
      continue;
    }
    const base = ch.normalize("NFD").replace(/\p{M}/gu, "");
    out += base && Array.from(base).every((c) => BASIC.has(c)) ? base : ch;
  }
  return out;
}

/** The characters of `text` careline folds when sending (á → a), once each. */
export function foldedCharacters(text: string): { from: string; to: string }[] {
  const seen = new Map<string, string>();
  for (const ch of text) {
    if (isGsm7(ch) || seen.has(ch)) continue;
    const to = toGsm7(ch);
    if (to !== ch) seen.set(ch, to);
  }
  return [...seen].map(([from, to]) => ({ from, to }));
}
