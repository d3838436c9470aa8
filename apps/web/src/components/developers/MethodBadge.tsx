import { Badge } from '@mantine/core';

const COLORS: Record<string, string> = { GET: 'blue', POST: 'violet', PATCH: 'grape', PUT: 'grape', DELETE: 'red' };

/** An HTTP method in a fixed-width badge. */
export function MethodBadge({ method }: { method: string }) {
  const m = method.toUpperCase();
  return (
    <Badge variant="outline" color={COLORS[m] ?? 'gray'} ff="monospace" miw={64}>
      {m}
    </Badge>
  );
}
