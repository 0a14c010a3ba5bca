// Tencent's group types in the words of its console. The wire has two spellings for two of them (Private/Work,
// ChatRoom/Meeting); a type Tencent adds later is shown as Tencent spells it.

import type { Messages } from './en';

export type GroupTypeKey = 'work' | 'public' | 'meeting' | 'community' | 'live' | 'broadcast';

const KEYS: Record<string, GroupTypeKey> = {
  Private: 'work',
  Work: 'work',
  Public: 'public',
  ChatRoom: 'meeting',
  Meeting: 'meeting',
  Community: 'community',
  AVChatRoom: 'live',
  BChatRoom: 'broadcast',
};

export function groupType(type: string | undefined, t: Messages): string {
  if (type === undefined) return t.common.none;
  const key = KEYS[type];
  return key ? t.groupTypes[key] : type;
}
