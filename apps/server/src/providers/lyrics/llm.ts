import { VendorError, VendorHttp } from '../song/vendor-http.js';
import { cleanLyrics, LYRICS_SYSTEM_PROMPT, lyricsUserPrompt } from './prompt.js';
import { LyricsProviderError, type LyricsRequest, type LyricsWriter, type WrittenLyrics } from './types.js';

const TIMEOUT_MS = 60_000;
const MAX_TOKENS = 800;

interface Endpoint {
  apiKey: string;
  baseUrl: string;
  allowLoopback: boolean;
  model?: string;
}

/** Shared plumbing: one vendor call → text → cleaned, tagged lyrics. */
abstract class LlmLyricsWriter implements LyricsWriter {
  abstract readonly id: string;
  protected abstract readonly vendor: string;
  protected abstract readonly model: string;
  protected readonly http: VendorHttp;

  constructor(
    protected readonly endpoint: Endpoint,
    vendorName: string,
  ) {
    this.http = new VendorHttp(vendorName, { allowLoopback: endpoint.allowLoopback });
  }

  protected abstract complete(request: LyricsRequest, signal?: AbortSignal): Promise<string | undefined>;

  protected url(p: string): string {
    return `${this.endpoint.baseUrl.replace(/\/$/, '')}${p}`;
  }

  async write(request: LyricsRequest, opts: { signal?: AbortSignal } = {}): Promise<WrittenLyrics> {
    const provider = `${this.id} (${this.model})`;
    let text: string | undefined;
    try {
      text = await this.complete(request, opts.signal);
    } catch (err) {
      if (err instanceof VendorError) throw new LyricsProviderError(provider, err.message);
      throw err;
    }
    if (!text?.trim()) throw new LyricsProviderError(provider, `${this.vendor} returned no lyrics`);
    return { text: cleanLyrics(text), provider };
  }

  async close(): Promise<void> {
    await this.http.close();
  }
}

/** Anthropic Messages API: POST /v1/messages with x-api-key and anthropic-version. */
export class AnthropicLyricsWriter extends LlmLyricsWriter {
  readonly id = 'anthropic';
  protected readonly vendor = 'Anthropic';
  protected readonly model: string;

  constructor(endpoint: Endpoint) {
    super(endpoint, 'Anthropic');
    this.model = endpoint.model ?? 'claude-haiku-4-5';
  }

  protected async complete(request: LyricsRequest, signal?: AbortSignal): Promise<string | undefined> {
    const res = await this.http.json<{ content?: Array<{ type: string; text?: string }> }>(this.url('/v1/messages'), {
      headers: { 'x-api-key': this.endpoint.apiKey, 'anthropic-version': '2023-06-01' },
      body: {
        model: this.model,
        max_tokens: MAX_TOKENS,
        system: LYRICS_SYSTEM_PROMPT,
        messages: [{ role: 'user', content: lyricsUserPrompt(request) }],
      },
      timeoutMs: TIMEOUT_MS,
      ...(signal ? { signal } : {}),
    });
    return res.content?.filter((c) => c.type === 'text').map((c) => c.text ?? '').join('\n');
  }
}

/** OpenAI Chat Completions: POST /v1/chat/completions with a Bearer key. */
export class OpenAiLyricsWriter extends LlmLyricsWriter {
  readonly id = 'openai';
  protected readonly vendor = 'OpenAI';
  protected readonly model: string;

  constructor(endpoint: Endpoint) {
    super(endpoint, 'OpenAI');
    this.model = endpoint.model ?? 'gpt-4o-mini';
  }

  protected async complete(request: LyricsRequest, signal?: AbortSignal): Promise<string | undefined> {
    const res = await this.http.json<{ choices?: Array<{ message?: { content?: string | null } }> }>(this.url('/v1/chat/completions'), {
      headers: { authorization: `Bearer ${this.endpoint.apiKey}` },
      body: {
        model: this.model,
        max_tokens: MAX_TOKENS,
        messages: [
          { role: 'system', content: LYRICS_SYSTEM_PROMPT },
          { role: 'user', content: lyricsUserPrompt(request) },
        ],
      },
      timeoutMs: TIMEOUT_MS,
      ...(signal ? { signal } : {}),
    });
    return res.choices?.[0]?.message?.content ?? undefined;
  }
}

/** Gemini generateContent: POST /v1beta/models/{model}:generateContent with x-goog-api-key. */
export class GeminiLyricsWriter extends LlmLyricsWriter {
  readonly id = 'gemini';
  protected readonly vendor = 'Gemini';
  protected readonly model: string;

  constructor(endpoint: Endpoint) {
    super(endpoint, 'Gemini');
    this.model = endpoint.model ?? 'gemini-2.0-flash';
  }

  protected async complete(request: LyricsRequest, signal?: AbortSignal): Promise<string | undefined> {
    const res = await this.http.json<{ candidates?: Array<{ content?: { parts?: Array<{ text?: string }> } }> }>(
      this.url(`/v1beta/models/${encodeURIComponent(this.model)}:generateContent`),
      {
        headers: { 'x-goog-api-key': this.endpoint.apiKey },
        body: {
          systemInstruction: { parts: [{ text: LYRICS_SYSTEM_PROMPT }] },
          contents: [{ role: 'user', parts: [{ text: lyricsUserPrompt(request) }] }],
          generationConfig: { maxOutputTokens: MAX_TOKENS },
        },
        timeoutMs: TIMEOUT_MS,
        ...(signal ? { signal } : {}),
      },
    );
    return res.candidates?.[0]?.content?.parts?.map((p) => p.text ?? '').join('') ?? undefined;
  }
}
