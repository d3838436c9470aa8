import { Button, Group, Popover, Text } from '@mantine/core';
import { useState, type ReactElement } from 'react';
import { useTranslation } from 'react-i18next';

interface ConfirmPopoverProps {
  message: string;
  confirmLabel: string;
  onConfirm: () => void;
  loading?: boolean;
  /** The button that opens the confirmation; receives onClick. */
  children: (open: () => void) => ReactElement;
}

/** Asks "are you sure?" next to the button that triggered it. */
export function ConfirmPopover({ message, confirmLabel, onConfirm, loading, children }: ConfirmPopoverProps) {
  const { t } = useTranslation();
  const [opened, setOpened] = useState(false);
  return (
    <Popover opened={opened} onChange={setOpened} position="bottom-end" withArrow shadow="lg" trapFocus returnFocus>
      <Popover.Target>{children(() => setOpened((o) => !o))}</Popover.Target>
      <Popover.Dropdown maw={280} role="alertdialog" aria-label={message}>
        <Text size="sm" mb="sm">
          {message}
        </Text>
        <Group gap="xs" justify="flex-end">
          <Button size="xs" variant="default" onClick={() => setOpened(false)}>
            {t('common.cancel')}
          </Button>
          <Button
            size="xs"
            color="red"
            loading={loading}
            onClick={() => {
              onConfirm();
              setOpened(false);
            }}
          >
            {confirmLabel}
          </Button>
        </Group>
      </Popover.Dropdown>
    </Popover>
  );
}
