import {
  IconBriefcase2,
  IconCode,
  IconCut,
  IconHome2,
  IconInbox,
  IconLayoutGrid,
  IconMovie,
  IconMusic,
  IconSettings,
  IconUpload,
  type Icon,
} from '@tabler/icons-react';

export interface NavItem {
  to: string;
  labelKey: string;
  icon: Icon;
  /** Only exact matches light up (the home page). */
  end?: boolean;
  /** Shown only when the development mailbox is enabled on the server. */
  devMailbox?: boolean;
  /** Shown only when the server has the developer platform (GET /api_keys answers). */
  developers?: boolean;
}

/** Create: only what exists. Later features (music video, song, …) add entries here. */
export const CREATE_ITEMS: NavItem[] = [
  { to: '/create/music-video', labelKey: 'nav.musicVideo', icon: IconMovie },
  { to: '/create/song', labelKey: 'nav.song', icon: IconMusic },
  { to: '/create/edit', labelKey: 'nav.editVideo', icon: IconCut },
  { to: '/upload', labelKey: 'nav.upload', icon: IconUpload },
];

export const MAIN_ITEMS: NavItem[] = [
  { to: '/', labelKey: 'nav.home', icon: IconHome2, end: true },
  { to: '/library', labelKey: 'nav.library', icon: IconLayoutGrid },
  { to: '/jobs', labelKey: 'nav.jobs', icon: IconBriefcase2 },
];

export const FOOT_ITEMS: NavItem[] = [
  { to: '/developers', labelKey: 'nav.developers', icon: IconCode, developers: true },
  { to: '/settings', labelKey: 'nav.settings', icon: IconSettings },
  { to: '/mailbox', labelKey: 'nav.mailbox', icon: IconInbox, devMailbox: true },
];

/** The phone bottom bar: the five most used destinations. */
export const BOTTOM_ITEMS: NavItem[] = [
  MAIN_ITEMS[0]!,
  CREATE_ITEMS.find((item) => item.to === '/create/music-video')!,
  MAIN_ITEMS[1]!,
  MAIN_ITEMS[2]!,
  FOOT_ITEMS.find((item) => item.to === '/settings')!,
];
