// Make a beat-synced music video from song.mp3 and photo.jpg with the ClipMix SDK (packages/sdk).
// Run: CLIPMIX_API_KEY=sk_live_… node --import tsx quickstart.ts
import { randomUUID } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { createClipMixClient, createMusicVideo, downloadFile, outputFileId, uploadFile, waitForJob } from '@clipmix/sdk';

const client = createClipMixClient({
  baseUrl: process.env.CLIPMIX_URL ?? 'http://localhost:3000',
  apiKey: process.env.CLIPMIX_API_KEY!,
});

const song = await uploadFile(client, { data: await readFile('song.mp3'), filename: 'song.mp3', purpose: 'audio' });
const photo = await uploadFile(client, { data: await readFile('photo.jpg'), filename: 'photo.jpg', purpose: 'image' });

// A retry with the same Idempotency-Key returns the same job instead of making a second video.
const job = await createMusicVideo(
  client,
  { audio_file: song.id, image_files: [photo.id], style: 'cinematic', aspect_ratio: '9:16', resolution: '720p' },
  { idempotencyKey: randomUUID() },
);
console.log(`job ${job.id} queued`);

const done = await waitForJob(client, job.id, { onPoll: (j) => console.log(`${j.status} ${Math.round(j.progress * 100)}%`) });
if (done.status !== 'succeeded') throw new Error(`job ${done.status}: ${done.error?.message ?? ''}`);
await writeFile('video.mp4', await downloadFile(client, outputFileId(done, 'video')!));
console.log('wrote video.mp4');
