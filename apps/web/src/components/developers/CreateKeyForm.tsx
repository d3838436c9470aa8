import { Button, Checkbox, Group, NumberInput, Select, SimpleGrid, Stack, Switch, Text, TextInput } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useCreateApiKey } from '../../api/developer';
import { ApiError } from '../../api/problem';
import { API_SCOPES, type ApiScope, type CreatedApiKey } from '../../api/types';
import { ErrorAlert } from '../ErrorAlert';

const EXPIRY_DAYS = ['never', '7', '30', '90', '365'] as const;
type Expiry = (typeof EXPIRY_DAYS)[number];

function expiresAt(expiry: Expiry): string | null {
  if (expiry === 'never') return null;
  return new Date(Date.now() + Number(expiry) * 86_400_000).toISOString();
}

/** Name, scopes, live/test, callback URL, rate limit and expiry of a new API key. */
export function CreateKeyForm({ onCreated, onCancel }: { onCreated: (key: CreatedApiKey) => void; onCancel: () => void }) {
  const { t } = useTranslation();
  const create = useCreateApiKey();
  const [name, setName] = useState('');
  const [scopes, setScopes] = useState<ApiScope[]>([...API_SCOPES]);
  const [test, setTest] = useState(false);
  const [callbackUrl, setCallbackUrl] = useState('');
  const [rateLimit, setRateLimit] = useState<number | string>('');
  const [expiry, setExpiry] = useState<Expiry>('never');
  const [local, setLocal] = useState<{ name?: string; scopes?: string }>({});
  const apiErr = create.error instanceof ApiError ? create.error : null;
  const fieldErr = (param: string) => apiErr?.fieldError(param);
  const hasFieldErrors = ['name', 'scopes', 'callback_url', 'rate_limit_per_minute', 'expires_at'].some((p) => fieldErr(p));

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const errors: typeof local = {};
    if (!name.trim()) errors.name = t('developers.form.nameRequired');
    if (scopes.length === 0) errors.scopes = t('developers.form.scopesRequired');
    setLocal(errors);
    if (Object.keys(errors).length) return;
    create.mutate(
      {
        name: name.trim(),
        scopes,
        livemode: !test,
        callback_url: callbackUrl.trim() || null,
        rate_limit_per_minute: typeof rateLimit === 'number' ? rateLimit : undefined,
        expires_at: expiresAt(expiry),
      },
      { onSuccess: onCreated },
    );
  };

  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="md">
        {create.error && !hasFieldErrors ? <ErrorAlert error={create.error} /> : null}
        <TextInput
          label={t('developers.form.name')}
          description={t('developers.form.nameHint')}
          placeholder={t('developers.form.namePlaceholder')}
          required
          maxLength={100}
          value={name}
          onChange={(e) => {
            setName(e.currentTarget.value);
            setLocal((l) => ({ ...l, name: undefined }));
          }}
          error={local.name ?? fieldErr('name')}
          data-autofocus
        />
        <Checkbox.Group
          label={t('developers.form.scopes')}
          description={t('developers.form.scopesHint')}
          value={scopes}
          onChange={(v) => {
            setScopes(v as ApiScope[]);
            setLocal((l) => ({ ...l, scopes: undefined }));
          }}
          error={local.scopes ?? fieldErr('scopes')}
        >
          <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="xs" mt="xs">
            {API_SCOPES.map((scope) => (
              <Checkbox
                key={scope}
                value={scope}
                label={<Text ff="monospace" size="sm">{scope}</Text>}
                description={t(`developers.scopes.${scope.replace(':', '_')}`)}
              />
            ))}
          </SimpleGrid>
        </Checkbox.Group>
        <Switch
          label={t('developers.form.testMode')}
          description={t('developers.form.testModeHint')}
          checked={test}
          onChange={(e) => setTest(e.currentTarget.checked)}
          color="yellow"
        />
        <TextInput
          label={t('developers.form.callbackUrl')}
          description={t('developers.form.callbackUrlHint')}
          placeholder="https://example.com/webhooks/clipmix"
          type="url"
          inputMode="url"
          value={callbackUrl}
          onChange={(e) => setCallbackUrl(e.currentTarget.value)}
          error={fieldErr('callback_url')}
        />
        <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="md">
          <NumberInput
            label={t('developers.form.rateLimit')}
            description={t('developers.form.rateLimitHint')}
            placeholder="600"
            min={1}
            max={100_000}
            allowDecimal={false}
            allowNegative={false}
            value={rateLimit}
            onChange={setRateLimit}
            error={fieldErr('rate_limit_per_minute')}
          />
          <Select
            label={t('developers.form.expiry')}
            description={t('developers.form.expiryHint')}
            value={expiry}
            onChange={(v) => setExpiry((v as Expiry | null) ?? 'never')}
            allowDeselect={false}
            data={EXPIRY_DAYS.map((d) => ({
              value: d,
              label: d === 'never' ? t('developers.form.expiryNever') : t('developers.form.expiryDays', { count: Number(d) }),
            }))}
            error={fieldErr('expires_at')}
          />
        </SimpleGrid>
        <Group justify="flex-end" gap="sm" mt="xs">
          <Button variant="default" onClick={onCancel}>
            {t('common.cancel')}
          </Button>
          <Button type="submit" loading={create.isPending}>
            {t('developers.form.submit')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
