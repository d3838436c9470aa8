import type { Kysely, Selectable } from 'kysely';
import type {
  ApiKeysTable,
  Database,
  IdempotencyRecordsTable,
  RequestLogsTable,
  WebhookDeliveriesTable,
  WebhookDeliveryAttemptsTable,
} from '../../platform/db/schema.js';

export type { DeliveryStatus } from '../../platform/db/schema.js';
export type DeveloperDatabase = Database;
export type DeveloperDb = Kysely<DeveloperDatabase>;

export type ApiKeyRow = Selectable<ApiKeysTable>;
export type RequestLogRow = Selectable<RequestLogsTable>;
export type IdempotencyRow = Selectable<IdempotencyRecordsTable>;
export type DeliveryRow = Selectable<WebhookDeliveriesTable>;
export type AttemptRow = Selectable<WebhookDeliveryAttemptsTable>;

/** The context's database (kept as a function so call sites read the same as before). */
export const devDb = (db: unknown): DeveloperDb => db as DeveloperDb;
