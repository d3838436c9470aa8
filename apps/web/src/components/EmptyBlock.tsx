import { Button, EmptyState, Paper } from '@mantine/core';
import type { ReactNode } from 'react';
import { Link } from 'react-router';

interface EmptyBlockProps {
  icon: ReactNode;
  title: string;
  description: string;
  action?: { label: string; to?: string; onClick?: () => void; icon?: ReactNode };
  testId?: string;
}

/** An empty state that explains what to do next, with exactly one button. */
export function EmptyBlock({ icon, title, description, action, testId }: EmptyBlockProps) {
  return (
    <Paper radius="lg" py={48} px="lg" style={{ borderStyle: 'dashed' }} data-testid={testId}>
      <EmptyState icon={icon} title={title} description={description} variant="light" size="md">
        {action ? (
          <EmptyState.Actions>
            {action.to ? (
              <Button component={Link} to={action.to} leftSection={action.icon}>
                {action.label}
              </Button>
            ) : (
              <Button onClick={action.onClick} leftSection={action.icon}>
                {action.label}
              </Button>
            )}
          </EmptyState.Actions>
        ) : null}
      </EmptyState>
    </Paper>
  );
}
