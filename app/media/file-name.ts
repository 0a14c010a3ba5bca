// A name to save a media file under, from the name a message gives it. The message's name is chosen by whoever
// sent it: it is only ever a label and a suggested name, never a path — separators, parent references, control
// and reserved characters, Windows device names and trailing dots or spaces are taken out. Pure.

/** Characters no file system (Windows' is the strictest) accepts in a name, and controls. */
const FORBIDDEN = /[\\/:*?"<>|\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069]/gu;
const DEVICE = /^(con|prn|aux|nul|com\d|lpt\d)(\..*)?$/iu;
/** UTF-16 units kept: file systems limit names to 255 bytes, and a CJK character takes 3 in UTF-8. */
const MAX_LENGTH = 80;

/** `fallback` (e.g. the sha256 and an extension) when nothing usable is left of the message's name. */
export function saveName(fileName: string | undefined, fallback: string): string {
  const base = (fileName ?? '').split(/[\\/]/u).pop() ?? '';
  let name = base.replace(FORBIDDEN, '_').replace(/^[.\s]+|[.\s]+$/gu, '');
  if (name.length > MAX_LENGTH) {
    const dot = name.lastIndexOf('.');
    const ext = dot > 0 && name.length - dot <= 10 ? name.slice(dot) : '';
    name = Array.from(name.slice(0, name.length - ext.length)).slice(0, MAX_LENGTH - ext.length).join('') + ext;
  }
  if (name === '' || /^_+$/u.test(name) || DEVICE.test(name)) return fallback;
  return name;
}
