// What stands in for an avatar that is not in the store (none set, not downloaded, expired, or an export without
// media): the first visible character of the person's name. Node-free: the renderer draws the same.

const GRAPHEMES = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
const INVISIBLE = /^[\p{Cf}\p{Cc}\p{Z}\s]+$/u;
const BIDI_CONTROLS = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/g;

/**
 * The first character a reader sees in `name` (a whole grapheme: an emoji with its modifiers, a letter with its
 * accents), upper-cased; direction marks, zero-width and control characters and spaces are skipped, so a hostile
 * name cannot make the placeholder blank or flip the text around it. '?' when nothing visible is left.
 */
export function initials(name: string): string {
  for (const { segment } of GRAPHEMES.segment(name)) {
    if (INVISIBLE.test(segment)) continue;
    // A zero-width joiner inside an emoji sequence stays; a direction control never does.
    return segment.replace(BIDI_CONTROLS, '').toLocaleUpperCase();
  }
  return '?';
}

