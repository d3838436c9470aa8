import { Badge, Group } from '@mantine/core';
import type { ApiScope } from '../../api/types';

/** A key's scopes as small monospace badges; write scopes stand out. */
export function ScopeBadges({ scopes }: { scopes: ApiScope[] }) {
  return (
    <Group gap={4}>
      {scopes.map((scope) => (
        <Badge key={scope} size="sm" variant="light" color={scope.endsWith(':write') ? 'violet' : 'gray'} tt="none" ff="monospace">
          {scope}
        </Badge>
      ))}
    </Group>
  );
}
