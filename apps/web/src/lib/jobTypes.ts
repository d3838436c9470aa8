import {
  IconCut,
  IconLanguage,
  IconMicrophone,
  IconMovie,
  IconMusic,
  IconPackageExport,
  IconPhotoCog,
  IconSparkles,
  type Icon,
} from '@tabler/icons-react';

/** Job type → translation key and icon. New features add their types here. */
const JOB_TYPES: Record<string, { labelKey: string; icon: Icon }> = {
  'media.process': { labelKey: 'jobTypes.media_process', icon: IconPhotoCog },
  music_video: { labelKey: 'jobTypes.music_video', icon: IconMovie },
  song: { labelKey: 'jobTypes.song', icon: IconMusic },
  edit: { labelKey: 'jobTypes.edit', icon: IconCut },
  voiceover: { labelKey: 'jobTypes.voiceover', icon: IconMicrophone },
  translation: { labelKey: 'jobTypes.translation', icon: IconLanguage },
  'account.export': { labelKey: 'jobTypes.account_export', icon: IconPackageExport },
};

export function jobTypeInfo(type: string): { labelKey: string | null; icon: Icon } {
  const known = JOB_TYPES[type] ?? JOB_TYPES[type.replace(/s$/, '')];
  return known ?? { labelKey: null, icon: IconSparkles };
}

export const KNOWN_JOB_TYPES = Object.keys(JOB_TYPES);
