import { Paper, Stack, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';

/** The card every sign-in and email-link page is built on. */
export function AuthCard({ title, subtitle, children, footer }: { title: string; subtitle?: ReactNode; children: ReactNode; footer?: ReactNode }) {
  return (
    <Stack gap="lg">
      <Paper p={{ base: 'lg', sm: 'xl' }} radius="lg" shadow="xl">
        <Stack gap={6} mb="lg">
          <Title order={1} size="h2">
            {title}
          </Title>
          {subtitle ? (
            <Text c="dimmed" size="sm">
              {subtitle}
            </Text>
          ) : null}
        </Stack>
        {children}
      </Paper>
      {footer ? (
        <Text ta="center" size="sm" c="dimmed">
          {footer}
        </Text>
      ) : null}
    </Stack>
  );
}
