import { Button, Group, Text, Textarea } from '@mantine/core';
import { IconPlus } from '@tabler/icons-react';
import { useRef } from 'react';
import { useTranslation } from 'react-i18next';

const TAGS = ['[Verse]', '[Chorus]', '[Bridge]'] as const;

/** Lyrics text with buttons that insert section tags on their own line at the cursor. */
export function LyricsEditor({ value, onChange }: { value: string; onChange: (value: string) => void }) {
  const { t } = useTranslation();
  const ref = useRef<HTMLTextAreaElement>(null);
  const lines = value.split('\n').filter((l) => l.trim() && !/^\s*\[[^\]]+\]\s*$/.test(l)).length;

  const insert = (tag: string) => {
    const el = ref.current;
    const at = el ? el.selectionStart : value.length;
    const before = value.slice(0, at);
    const after = value.slice(at);
    const lead = before === '' ? '' : before.endsWith('\n\n') ? '' : before.endsWith('\n') ? '\n' : '\n\n';
    const text = `${lead}${tag}\n`;
    onChange(before + text + after);
    requestAnimationFrame(() => {
      if (!el) return;
      el.focus();
      el.setSelectionRange(at + text.length, at + text.length);
    });
  };

  return (
    <div>
      <Group gap="xs" mb="xs" role="toolbar" aria-label={t('song.sectionTags')}>
        {TAGS.map((tag) => (
          <Button key={tag} size="xs" variant="light" leftSection={<IconPlus size={12} aria-hidden />} onClick={() => insert(tag)} aria-label={t('song.insertTag', { tag })}>
            {tag}
          </Button>
        ))}
      </Group>
      <Textarea
        ref={ref}
        label={t('song.lyricsLabel')}
        description={t('song.lyricsHint')}
        placeholder={t('song.lyricsPlaceholder')}
        value={value}
        onChange={(e) => onChange(e.currentTarget.value)}
        autosize
        minRows={10}
        maxRows={24}
        styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)', fontSize: 'var(--mantine-font-size-sm)' } }}
        data-testid="lyrics-editor"
      />
      <Text size="xs" c="dimmed" mt={4} aria-live="polite">
        {t('song.lineCount', { count: lines })}
      </Text>
    </div>
  );
}
