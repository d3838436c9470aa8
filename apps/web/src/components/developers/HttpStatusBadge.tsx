import { Badge } from '@mantine/core';

function colorOf(status: number): string {
  if (status >= 500) return 'red';
  if (status === 429) return 'orange';
  if (status >= 400) return 'yellow';
  if (status >= 300) return 'blue';
  return 'teal';
}

/** An HTTP status code, coloured by class (2xx teal, 4xx yellow, 429 orange, 5xx red). */
export function HttpStatusBadge({ status }: { status: number }) {
  return (
    <Badge variant="light" color={colorOf(status)} ff="monospace" data-testid="http-status" data-status={status}>
      {status}
    </Badge>
  );
}
