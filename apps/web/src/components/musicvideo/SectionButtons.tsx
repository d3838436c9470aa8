import { Button, Group } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { MusicVideoTimeline } from '../../api/musicVideos';
import { formatDuration } from '../../lib/format';
import { sectionColor } from './sectionColors';

/** One button per section ("Chorus 0:24"): jumps the player there. The keyboard way into the map. */
export function SectionButtons({ sections, currentTime, onSeek }: { sections: MusicVideoTimeline['sections']; currentTime: number; onSeek: (s: number) => void }) {
  const { t } = useTranslation();
  return (
    <Group gap={6} role="list" aria-label={t('musicVideo.result.sections')}>
      {sections.map((s, i) => {
        const name = t(`musicVideo.sections.${s.label}`, { defaultValue: s.label });
        const playing = currentTime >= s.start && currentTime < s.end;
        return (
          <div role="listitem" key={i}>
            <Button
              size="compact-sm"
              variant={playing ? 'filled' : 'light'}
              color={sectionColor(s.label)}
              onClick={() => onSeek(s.start)}
              aria-label={t('musicVideo.result.seekSection', { name, from: formatDuration(s.start), to: formatDuration(s.end) })}
              aria-current={playing ? 'true' : undefined}
              data-testid="mv-section-button"
            >
              {name} {formatDuration(s.start)}
            </Button>
          </div>
        );
      })}
    </Group>
  );
}
