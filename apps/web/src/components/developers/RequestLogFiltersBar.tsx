import { Group, Select, TextInput } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { ApiKey } from '../../api/types';
import { STATUS_CLASSES, type RequestLogFilters } from './requestLogFilters';

const METHODS = ['GET', 'POST', 'PATCH', 'DELETE'];
const STATUSES = ['200', '201', '202', '204', '400', '401', '402', '403', '404', '409', '413', '415', '422', '429', '500', '503'];

interface Props {
  value: RequestLogFilters;
  onChange: (next: RequestLogFilters) => void;
  keys: ApiKey[];
  /** Refresh button and the like, at the end of the row. */
  children?: React.ReactNode;
}

/** Method, status (code or class), route prefix, key and date range filters of the request log. */
export function RequestLogFiltersBar({ value, onChange, keys, children }: Props) {
  const { t } = useTranslation();
  const set = (patch: Partial<RequestLogFilters>) => onChange({ ...value, ...patch });
  return (
    <Group gap="sm" align="flex-end" wrap="wrap">
      <Select
        label={t('developers.logs.method')}
        placeholder={t('developers.logs.any')}
        data={METHODS}
        value={value.method}
        onChange={(method) => set({ method })}
        clearable
        w={130}
      />
      <Select
        label={t('developers.logs.status')}
        placeholder={t('developers.logs.any')}
        data={[
          { group: t('developers.logs.statusClasses'), items: STATUS_CLASSES },
          { group: t('developers.logs.statusCodes'), items: STATUSES },
        ]}
        value={value.status}
        onChange={(status) => set({ status })}
        clearable
        searchable
        w={140}
      />
      <TextInput
        label={t('developers.logs.pathPrefix')}
        placeholder="/api/v1/jobs"
        value={value.pathPrefix}
        onChange={(e) => set({ pathPrefix: e.currentTarget.value })}
        maxLength={300}
        ff="monospace"
        w={200}
      />
      <Select
        label={t('developers.logs.key')}
        placeholder={t('developers.logs.any')}
        data={keys.map((k) => ({ value: k.id, label: `${k.name} (${k.prefix}…)` }))}
        value={value.apiKey}
        onChange={(apiKey) => set({ apiKey })}
        clearable
        searchable
        w={200}
      />
      <TextInput
        type="date"
        label={t('developers.logs.from')}
        value={value.from}
        max={value.to || undefined}
        onChange={(e) => set({ from: e.currentTarget.value })}
        w={160}
      />
      <TextInput
        type="date"
        label={t('developers.logs.to')}
        value={value.to}
        min={value.from || undefined}
        onChange={(e) => set({ to: e.currentTarget.value })}
        w={160}
      />
      {children}
    </Group>
  );
}
