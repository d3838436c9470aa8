/**
 * Compile-time contract: the web app's resource types against the server's OpenAPI document, as
 * generated into the SDK's schema.d.ts (a test keeps that file in step with the server). Nothing
 * here runs; `npm test` starts with the typecheck, which fails naming the first field that drifted
 * apart: one the server added, renamed, dropped or retyped (e.g. made nullable) that the web app
 * still types the old way.
 */
import type { paths } from '../../../../packages/sdk/src/schema.js';
import type { EditFilter, EditRequest } from './edits.js';
import type { CreateMusicVideoInput, MusicVideoStyle } from './musicVideos.js';
import type { ConsentState, PrivacyConfig, PrivacyLogEntry } from './privacy.js';
import type { CreateSongInput, Lyrics, SongOptions } from './songs.js';
import type {
  ApiKey,
  CreateApiKeyInput,
  CreatedApiKey,
  CreditBalance,
  FileObject,
  Job,
  MailMessage,
  RequestLog,
  Session,
  User,
  WebhookDelivery,
} from './types.js';

type Json<R> = R extends { content: { 'application/json': infer T } } ? T : never;
type Op<P extends keyof paths, M extends keyof paths[P]> = paths[P][M];
type Response<P extends keyof paths, M extends keyof paths[P], S extends number> = Op<P, M> extends { responses: infer R }
  ? S extends keyof R
    ? Json<R[S]>
    : never
  : never;
type Body<P extends keyof paths, M extends keyof paths[P]> = Op<P, M> extends { requestBody?: infer B } ? Json<NonNullable<B>> : never;
type Item<L> = L extends { data: Array<infer T> } ? T : never;

type Mutual<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type RequiredKeys<T> = { [K in keyof T]-?: object extends Pick<T, K> ? never : K }[keyof T];

/** The fields where a response type and the server's differ (missing on one side, or typed apart). */
type Drift<Web, Server> = {
  [K in keyof Web | keyof Server]: K extends keyof Web ? (K extends keyof Server ? (Mutual<Web[K], Server[K]> extends true ? never : K) : K) : K;
}[keyof Web | keyof Server];

/** String enums as plain strings: the web app sends ids it was given by the API (styles, genres). */
type Loose<T> = T extends string ? string : T;

/** The fields of a request the server would not take as the web app sends them, or requires and the web app lacks. */
type Refused<Web, Server> =
  | { [K in keyof Web]-?: K extends keyof Server ? ([Web[K]] extends [Loose<Server[K]> | undefined] ? never : K) : K }[keyof Web]
  | Exclude<RequiredKeys<Server>, RequiredKeys<Web>>;

type None<T extends never> = T;

export type WebTypesMatchTheServer = [
  None<Drift<User, Response<'/api/v1/account', 'get', 200>>>,
  None<Drift<Session, Response<'/api/v1/auth/session', 'get', 200>>>,
  None<Drift<FileObject, Response<'/api/v1/files/{id}', 'get', 200>>>,
  None<Drift<FileObject, Item<Response<'/api/v1/files', 'get', 200>>>>,
  None<Drift<Job, Response<'/api/v1/jobs/{id}', 'get', 200>>>,
  None<Drift<Job, Item<Response<'/api/v1/jobs', 'get', 200>>>>,
  None<Drift<Job, Response<'/api/v1/music_videos', 'post', 202>>>,
  None<Drift<Job, Response<'/api/v1/songs', 'post', 202>>>,
  None<Drift<Job, Response<'/api/v1/edits', 'post', 202>>>,
  None<Drift<CreditBalance, Response<'/api/v1/credits', 'get', 200>>>,
  None<Drift<MailMessage, Item<Response<'/api/v1/dev/mailbox', 'get', 200>>>>,
  None<Drift<ApiKey, Item<Response<'/api/v1/api_keys', 'get', 200>>>>,
  None<Drift<CreatedApiKey, Response<'/api/v1/api_keys', 'post', 201>>>,
  None<Drift<RequestLog, Item<Response<'/api/v1/request_logs', 'get', 200>>>>,
  None<Drift<WebhookDelivery, Response<'/api/v1/webhook_deliveries/{id}', 'get', 200>>>,
  None<Drift<MusicVideoStyle, Item<Response<'/api/v1/music_videos/styles', 'get', 200>>>>,
  None<Drift<SongOptions, Response<'/api/v1/songs/options', 'get', 200>>>,
  None<Drift<Lyrics, Response<'/api/v1/lyrics', 'post', 200>>>,
  None<Drift<EditFilter, Item<Response<'/api/v1/edits/filters', 'get', 200>>>>,
  None<Drift<ConsentState, Response<'/api/v1/privacy/consent', 'get', 200>>>,
  None<Drift<PrivacyLogEntry, Item<Response<'/api/v1/account/privacy/log', 'get', 200>>>>,
  None<Drift<PrivacyConfig, Response<'/api/v1/privacy/config', 'get', 200>>>,
  None<Refused<CreateMusicVideoInput, Body<'/api/v1/music_videos', 'post'>>>,
  None<Refused<CreateSongInput, Body<'/api/v1/songs', 'post'>>>,
  None<Refused<CreateApiKeyInput, Body<'/api/v1/api_keys', 'post'>>>,
  None<Refused<EditRequest, Body<'/api/v1/edits', 'post'>>>,
];
