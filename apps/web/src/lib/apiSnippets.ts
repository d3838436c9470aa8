/** Copy-paste examples for the Developers quick start; `origin` is where this ClipMix runs. */
// The SDK example is the type-checked script the SDK integration test runs against a real server.
import sdkQuickstart from '../../../../packages/sdk/examples/quickstart.ts?raw';

const KEY = 'sk_live_…';

export function uploadSnippet(origin: string): string {
  return [
    `curl ${origin}/api/v1/files \\`,
    `  -H "Authorization: Bearer ${KEY}" \\`,
    `  -H "Idempotency-Key: $(uuidgen)" \\`,
    `  -F purpose=audio \\`,
    `  -F file=@song.mp3`,
  ].join('\n');
}

export function musicVideoSnippet(origin: string): string {
  return [
    `curl ${origin}/api/v1/music_videos \\`,
    `  -H "Authorization: Bearer ${KEY}" \\`,
    `  -H "Idempotency-Key: $(uuidgen)" \\`,
    `  -H "Content-Type: application/json" \\`,
    `  -d '{"audio_file":"file_…","image_files":["file_…","file_…"],"style":"cinematic","aspect_ratio":"9:16","resolution":"720p"}'`,
  ].join('\n');
}

export function pollJobSnippet(origin: string): string {
  return [`curl ${origin}/api/v1/jobs/job_… \\`, `  -H "Authorization: Bearer ${KEY}"`].join('\n');
}

export const WEBHOOK_VERIFY_SNIPPET = [
  `import { Webhook } from 'standardwebhooks';`,
  `const wh = new Webhook(process.env.CLIPMIX_WEBHOOK_SECRET); // whsec_…`,
  `app.post('/webhooks/clipmix', express.raw({ type: 'application/json' }), (req, res) => {`,
  `  const event = wh.verify(req.body, req.headers); // throws when the signature is wrong`,
  `  if (event.type === 'job.succeeded') console.log(event.data.object.output.files);`,
  `  res.sendStatus(204);`,
  `});`,
].join('\n');

export function sdkSnippet(origin: string): string {
  return sdkQuickstart.replace("'http://localhost:3000'", `'${origin}'`).trimEnd();
}
