import { ActionIcon, Group, Kbd, Popover, Stack, Text } from '@mantine/core';
import { IconKeyboard } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';

const KEYS: Array<[string[], string]> = [
  [['Space'], 'editor.keys.play'],
  [['J', 'K', 'L'], 'editor.keys.jkl'],
  [['I', 'O'], 'editor.keys.inOut'],
  [['S'], 'editor.keys.split'],
  [['Delete'], 'editor.keys.delete'],
  [['←', '→'], 'editor.keys.frame'],
  [['⌘/Ctrl', 'Z'], 'editor.keys.undo'],
  [['⇧', '⌘/Ctrl', 'Z'], 'editor.keys.redo'],
];

/** The keyboard shortcuts, one click away. */
export function ShortcutsHelp() {
  const { t } = useTranslation();
  return (
    <Popover position="bottom-start" shadow="md" withArrow>
      <Popover.Target>
        <ActionIcon variant="default" size="lg" aria-label={t('editor.shortcuts')}>
          <IconKeyboard size={18} aria-hidden />
        </ActionIcon>
      </Popover.Target>
      <Popover.Dropdown>
        <Stack gap={6}>
          {KEYS.map(([keys, label]) => (
            <Group key={label} justify="space-between" gap="lg">
              <Group gap={4}>
                {keys.map((k) => (
                  <Kbd key={k}>{k}</Kbd>
                ))}
              </Group>
              <Text size="sm">{t(label)}</Text>
            </Group>
          ))}
        </Stack>
      </Popover.Dropdown>
    </Popover>
  );
}
