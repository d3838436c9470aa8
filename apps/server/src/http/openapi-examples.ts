/**
 * Realistic request and response examples for the main operations of the OpenAPI document,
 * shown by the API reference (/api/v1/docs) and kept honest by a test that validates every
 * example against the schema it illustrates (test/openapi-document.test.ts).
 *
 * They are attached to the operations' media types (`example`), not to the zod schemas: several
 * operations share one schema (a `job` is the response of music videos, songs, edits, exports and
 * GET /jobs/{id}) and each deserves its own example. The values come from a real run (ids,
 * sizes, timings, credits), with the timestamps moved to one afternoon.
 */

const AUDIO = 'file_p4mFcIMGWWvUnclP18mA2G';
const IMAGES = ['file_FDfny5sRa1OGgS0bkw8y5W', 'file_8uQbZ1xKc0TnRw3sLp7VhY', 'file_Jd4mQe9sTf2WvXa6Bc1NgK'];
const CLIP = 'file_Wq7eR2tY5uI8oP1aS4dF6g';
const THUMBNAIL = 'file_CTrgaCd5QxTuerYdBq20dA';
const WAVEFORM = 'file_N3bV6cX9zL2kJ5hG8fD1sA';
const MV_JOB = 'job_IqIcHQzkeGoHW3AxJpCF4Q';
const SONG_JOB = 'job_Bv8pm2G3hdtKo502DY5BoA';
const EDIT_JOB = 'job_T5rE8wQ1yU4iO7pA0sD3fG';
const KEY = 'key_VWfuzfXDV0uOhiiCXD3I4d';
const DELIVERY = 'whdel_bJGsmOusUgT1JjwB2LlD30';
const EVENT = 'evt_5QT8BLfzxJRH3NRsRbqQ0y';
const IP_HASH = 'a0961939996244c6bb2accf66a4569076accd7e7a8e26bb98053d6d6cf5d93bb';
const CALLBACK = 'https://hooks.example.com/clipmix';

const musicVideoRequest = {
  audio_file: AUDIO,
  image_files: IMAGES,
  video_files: [CLIP],
  style: 'cinematic',
  aspect_ratio: '16:9',
  resolution: '1080p',
  lyrics: { lrc: '[00:12.40]We ran through the summer nights\n[00:16.85]Chasing every neon light' },
  title: 'Summer Nights',
};

const jobBase = {
  object: 'job',
  output: null,
  error: null,
  livemode: true,
};

const queuedMusicVideo = {
  ...jobBase,
  id: MV_JOB,
  type: 'music_video',
  status: 'queued',
  progress: 0,
  created_at: '2025-06-14T14:02:07.590Z',
  started_at: null,
  finished_at: null,
  input: musicVideoRequest,
  credits_charged: 10,
  provider: 'local',
  attempts: 0,
};

const succeededMusicVideo = {
  ...queuedMusicVideo,
  status: 'succeeded',
  progress: 1,
  started_at: '2025-06-14T14:02:07.594Z',
  finished_at: '2025-06-14T14:02:41.242Z',
  output: {
    files: [
      { file: 'file_1j5hottxcHeyx0OTYIgGRB', role: 'video' },
      { file: 'file_JtjFNfgFxPywwQVVt2T3iq', role: 'poster' },
      { file: 'file_0FbLFmCrF5UHXCjsYUthcP', role: 'timeline' },
    ],
    size_bytes: 24079741,
  },
  attempts: 1,
};

const songRequest = {
  lyrics: '[Verse]\nHeadlights on the empty road\nRadio low, the city glows\n[Chorus]\nWe are driving home at dawn',
  genre: 'edm',
  mood: 'energetic',
  duration_seconds: 90,
  tempo_bpm: 124,
  key: 'A minor',
  vocals: 'sung',
  title: 'Home at Dawn',
};

const queuedSong = {
  ...jobBase,
  id: SONG_JOB,
  type: 'song',
  status: 'queued',
  progress: 0,
  created_at: '2025-06-14T14:05:34.509Z',
  started_at: null,
  finished_at: null,
  input: { ...songRequest, seed: 1044386376 },
  credits_charged: 10,
  provider: 'local-composer (algorithmic)',
  attempts: 0,
};

const editRequest = {
  source_file: 'file_1j5hottxcHeyx0OTYIgGRB',
  operations: [
    { type: 'trim', start: 2, end: 32 },
    { type: 'text', text: 'Summer Nights', start: 0, end: 3, position: 'bottom', size: 48, color: '#ffffff', animation: 'fade' },
    { type: 'filter', name: 'warm' },
    { type: 'crop', aspect: '9:16' },
    { type: 'fade', in: 0.5, out: 1 },
  ],
};

const queuedEdit = {
  ...jobBase,
  id: EDIT_JOB,
  type: 'edit',
  status: 'queued',
  progress: 0,
  created_at: '2025-06-14T14:09:51.022Z',
  started_at: null,
  finished_at: null,
  input: editRequest,
  credits_charged: 5,
  provider: 'local',
  attempts: 0,
};

const fileBase = {
  object: 'file',
  role: null,
  parent_file: null,
  job: null,
};

const uploadedImage = {
  ...fileBase,
  id: IMAGES[0],
  kind: 'image',
  purpose: 'image',
  mime: 'image/jpeg',
  size_bytes: 546291,
  duration_seconds: null,
  width: 1200,
  height: 800,
  filename: 'beach.jpg',
  status: 'processing',
  thumbnail_url: null,
  waveform_url: null,
  content_url: `/api/v1/files/${IMAGES[0]}/content`,
  processing_job: 'job_q6ltRriG8IWQ7faIK3ahSC',
  created_at: '2025-06-14T14:01:06.241Z',
};

const readyImage = {
  ...uploadedImage,
  status: 'ready',
  thumbnail_url: `/api/v1/files/${THUMBNAIL}/content`,
};

const readyAudio = {
  ...fileBase,
  id: AUDIO,
  kind: 'audio',
  purpose: 'audio',
  mime: 'audio/mpeg',
  size_bytes: 3529278,
  duration_seconds: 183.4,
  width: null,
  height: null,
  filename: 'summer-nights.mp3',
  status: 'ready',
  thumbnail_url: null,
  waveform_url: `/api/v1/files/${WAVEFORM}/content`,
  content_url: `/api/v1/files/${AUDIO}/content`,
  processing_job: 'job_WpCSn4RLrt38QLsb5lIiMJ',
  created_at: '2025-06-14T14:01:04.177Z',
};

const apiKeyRequest = {
  name: 'Production',
  scopes: ['files:read', 'files:write', 'jobs:read', 'jobs:write'],
  rate_limit_per_minute: 600,
  callback_url: CALLBACK,
  expires_at: '2026-06-14T00:00:00.000Z',
};

const apiKey = {
  object: 'api_key',
  id: KEY,
  name: 'Production',
  prefix: 'sk_live_TSig',
  livemode: true,
  scopes: apiKeyRequest.scopes,
  rate_limit_per_minute: 600,
  callback_url: CALLBACK,
  callback_disabled_at: null,
  expires_at: '2026-06-14T00:00:00.000Z',
  last_used_at: null,
  created_at: '2025-06-14T14:00:05.138Z',
  revoked_at: null,
};

const createdApiKey = {
  ...apiKey,
  secret: 'sk_live_TSigzT7AGxDcyVlQmvB7gd9YZkd2EU0Vwd6p',
  webhook_secret: 'whsec_+i70utdTybcS9St+kzA+/b5AJNxupG+5',
};

const requestLogs = {
  object: 'list',
  data: [
    {
      object: 'request_log',
      id: 'req_0VcOlJGH0AJoU2000008',
      request_id: 'req_0VcOlJGH0AJoU2000008',
      api_key: KEY,
      method: 'GET',
      path: '/api/v1/jobs/:id',
      status: 200,
      latency_ms: 3,
      credits_charged: 0,
      ip_hash: IP_HASH,
      livemode: true,
      idempotent_replayed: false,
      created_at: '2025-06-14T14:02:41.248Z',
    },
    {
      object: 'request_log',
      id: 'req_0VcOlGUL0AJoU2000007',
      request_id: 'req_0VcOlGUL0AJoU2000007',
      api_key: KEY,
      method: 'POST',
      path: '/api/v1/music_videos',
      status: 202,
      latency_ms: 14,
      credits_charged: 10,
      ip_hash: IP_HASH,
      livemode: true,
      idempotent_replayed: false,
      created_at: '2025-06-14T14:02:07.604Z',
    },
  ],
  has_more: true,
};

const delivery = {
  object: 'webhook_delivery',
  id: DELIVERY,
  event_id: EVENT,
  event_type: 'job.succeeded',
  api_key: KEY,
  job: MV_JOB,
  url: CALLBACK,
  status: 'succeeded',
  attempt_count: 1,
  max_attempts: 10,
  next_attempt_at: null,
  last_status_code: 200,
  last_error: null,
  replay_of: null,
  livemode: true,
  payload: { id: EVENT, type: 'job.succeeded', created_at: '2025-06-14T14:02:41.242Z', data: { object: succeededMusicVideo } },
  created_at: '2025-06-14T14:02:41.244Z',
  delivered_at: '2025-06-14T14:02:41.325Z',
  attempts: [
    {
      object: 'webhook_attempt',
      attempt: 1,
      status_code: 200,
      error: null,
      response_excerpt: 'ok',
      duration_ms: 77,
      created_at: '2025-06-14T14:02:41.325Z',
    },
  ],
};

const replayedDelivery = {
  ...delivery,
  id: 'whdel_Rk2Lp9Xw4Zq7Ty1Uv5Mn8B',
  max_attempts: 1,
  replay_of: DELIVERY,
  created_at: '2025-06-14T15:20:03.118Z',
  delivered_at: '2025-06-14T15:20:03.190Z',
  attempts: [{ ...delivery.attempts[0], duration_ms: 71, created_at: '2025-06-14T15:20:03.190Z' }],
};

const testDelivery = {
  ...delivery,
  id: 'whdel_0P8IggA8ecMRRLXhgbMvbg',
  event_id: 'evt_epEW5ACmQ0zzUI1uNSpFwC',
  event_type: 'test.ping',
  job: null,
  max_attempts: 1,
  payload: {
    id: 'evt_epEW5ACmQ0zzUI1uNSpFwC',
    type: 'test.ping',
    created_at: '2025-06-14T14:00:34.530Z',
    data: { object: { object: 'api_key', id: KEY, name: 'Production', livemode: true } },
  },
  created_at: '2025-06-14T14:00:34.530Z',
  delivered_at: '2025-06-14T14:00:34.583Z',
  attempts: [{ ...delivery.attempts[0], duration_ms: 52, created_at: '2025-06-14T14:00:34.583Z' }],
};

const user = {
  object: 'user',
  id: 'usr_Hs7Kd2Lq9Wm4Xp1Zr6Tn3B',
  email: 'ada@example.com',
  name: 'Ada Park',
  email_verified: true,
  locale: 'en',
  credits_balance: 975,
  created_at: '2025-06-02T08:11:45.003Z',
};

const credits = {
  object: 'credit_balance',
  balance: 975,
  ledger: {
    object: 'list',
    data: [
      {
        object: 'credit_transaction',
        id: 'txn_jVQMAXKVGkwQvv7Rvv4EI8',
        delta: -5,
        balance_after: 975,
        reason: 'job_charge',
        job_id: EDIT_JOB,
        created_at: '2025-06-14T14:09:51.023Z',
      },
      {
        object: 'credit_transaction',
        id: 'txn_m5pR4NbnTIdrCorVC818Ew',
        delta: -10,
        balance_after: 980,
        reason: 'job_charge',
        job_id: SONG_JOB,
        created_at: '2025-06-14T14:05:34.510Z',
      },
    ],
    has_more: true,
  },
};

export interface OperationExamples {
  /** The request body example, by media type. */
  request?: Record<string, unknown>;
  /** Response body examples: status → media type → example. */
  responses?: Record<string, Record<string, unknown>>;
}

const json = (value: unknown) => ({ 'application/json': value });

/** `METHOD /path` (as in the document) → its examples. */
export const operationExamples: Record<string, OperationExamples> = {
  'POST /api/v1/music_videos': { request: json(musicVideoRequest), responses: { '202': json(queuedMusicVideo) } },
  'POST /api/v1/music_videos/preview': { request: json({ image_file: IMAGES[0], style: 'retro_vhs', aspect_ratio: '9:16' }) },
  'GET /api/v1/jobs/{id}': { responses: { '200': json(succeededMusicVideo) } },
  'GET /api/v1/jobs': { responses: { '200': json({ object: 'list', data: [queuedSong, succeededMusicVideo], has_more: true }) } },
  'POST /api/v1/files': {
    request: json({ upload_id: '9f2c4e7a1b3d5f6081a2c3e4b5d6f708', purpose: 'image' }),
    responses: { '201': json(uploadedImage) },
  },
  'GET /api/v1/files/{id}': { responses: { '200': json(readyImage) } },
  'GET /api/v1/files': { responses: { '200': json({ object: 'list', data: [readyImage, readyAudio], has_more: false }) } },
  'POST /api/v1/songs': { request: json(songRequest), responses: { '202': json(queuedSong) } },
  'POST /api/v1/lyrics': {
    request: json({ theme: 'driving home at dawn', genre: 'edm', mood: 'energetic' }),
    responses: {
      '200': json({
        object: 'lyrics',
        text: '[Verse]\nHeadlights on the empty road\nRadio low, the city glows\n[Chorus]\nWe are driving home at dawn\nHolding on till the night is gone',
        provider: 'local-template',
      }),
    },
  },
  'POST /api/v1/edits': { request: json(editRequest), responses: { '202': json(queuedEdit) } },
  'POST /api/v1/api_keys': { request: json(apiKeyRequest), responses: { '201': json(createdApiKey) } },
  'GET /api/v1/api_keys': { responses: { '200': json({ object: 'list', data: [apiKey], has_more: false }) } },
  'POST /api/v1/api_keys/{id}/test_webhook': { responses: { '200': json(testDelivery) } },
  'GET /api/v1/request_logs': { responses: { '200': json(requestLogs) } },
  'GET /api/v1/webhook_deliveries': { responses: { '200': json({ object: 'list', data: [delivery], has_more: false }) } },
  'GET /api/v1/webhook_deliveries/{id}': { responses: { '200': json(delivery) } },
  'POST /api/v1/webhook_deliveries/{id}/replay': { responses: { '200': json(replayedDelivery) } },
  'GET /api/v1/account': { responses: { '200': json(user) } },
  'GET /api/v1/credits': { responses: { '200': json(credits) } },
};

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'];

/**
 * Sets the examples on the document's operations (in place). An entry whose operation, status or
 * media type the document lacks is skipped here and reported by the test.
 */
export function addOperationExamples(doc: any): any {
  for (const [operation, examples] of Object.entries(operationExamples)) {
    const [method, path] = operation.split(' ') as [string, string];
    if (!METHODS.includes(method.toLowerCase())) continue;
    const op = doc.paths?.[path]?.[method.toLowerCase()];
    if (!op) continue;
    if (examples.request && op.requestBody?.content) setExamples(op.requestBody.content, examples.request);
    for (const [status, byType] of Object.entries(examples.responses ?? {})) {
      const content = op.responses?.[status]?.content;
      if (content) setExamples(content, byType);
    }
  }
  return doc;
}

function setExamples(content: Record<string, any>, byType: Record<string, unknown>): void {
  for (const [mediaType, example] of Object.entries(byType)) {
    const media = content[mediaType];
    if (!media) continue;
    // @fastify/swagger shares one media object between the content types of an operation
    // (multipart and JSON bodies): give this one its own copy before setting its example.
    content[mediaType] = { ...media, example: structuredClone(example) };
  }
}
