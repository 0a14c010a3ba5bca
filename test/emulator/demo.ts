// Sample data for `npm run demo` and `npm run emulator`: one app whose groups show every behaviour a backup
// meets. The SecretKey is a public demo key, valid only against this emulator.

import type { AppSpec } from './types';

export const DEMO_SDKAPPID = 1400000001;
export const DEMO_ADMIN = 'administrator';
export const DEMO_SECRET_KEY = '5bd2850fff3ecb11d7c805251c51ee463a25727bddc2385f3fa8bfee1bb93b5e';

export function demoApps(seed = 2024): AppSpec[] {
  return [
    {
      sdkAppId: DEMO_SDKAPPID,
      secretKey: DEMO_SECRET_KEY,
      admins: [DEMO_ADMIN],
      groups: [
        { groupId: '@TGS#2DEMO0CN1', type: 'Public', name: '产品讨论群', messages: 3000, seed, members: 120, recalledShare: 0.03, deletedShare: 0.01 },
        { groupId: 'team-english', type: 'Work', name: 'Engineering Team', messages: 1500, seed: seed + 1, members: 25 },
        { groupId: '@TGS#aDEMOLIVE', type: 'AVChatRoom', name: '直播间 Live Room', messages: 0, seed: seed + 2, members: 500 },
        { groupId: 'long-messages', type: 'Public', name: 'Long reads 长文', messages: 400, seed: seed + 3, longShare: 0.3 },
        { groupId: 'retention-7d', type: 'Meeting', name: 'Retention 7 days 七天漫游', messages: 2000, seed: seed + 4, spanDays: 30, retentionDays: 7 },
        {
          groupId: '@TGS#_@TGS#cDEMOCOMMUNITY',
          type: 'Community',
          name: '开发者社区 Developer Community',
          messages: 300,
          seed: seed + 5,
          members: 300,
          topics: ['@TGS#_@TGS#cDEMOCOMMUNITY@TOPIC#_general', '@TGS#_@TGS#cDEMOCOMMUNITY@TOPIC#_公告'],
        },
      ],
    },
  ];
}
