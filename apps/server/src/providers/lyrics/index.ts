import type { Config } from '../../config/env.js';
import { AnthropicLyricsWriter, GeminiLyricsWriter, OpenAiLyricsWriter } from './llm.js';
import { LocalLyricsWriter } from './local.js';
import type { LyricsWriter } from './types.js';

export * from './types.js';
export { LocalLyricsWriter } from './local.js';
export { AnthropicLyricsWriter, GeminiLyricsWriter, OpenAiLyricsWriter } from './llm.js';
export { cleanLyrics } from './prompt.js';

/** The first LLM with a key (Anthropic, OpenAI, Gemini); otherwise the local template writer. */
export function createLyricsWriter(config: Pick<Config, 'llm' | 'allowLoopbackUrls'>): LyricsWriter {
  const allowLoopback = config.allowLoopbackUrls;
  const { anthropic, openai, gemini } = config.llm;
  if (anthropic.apiKey) return new AnthropicLyricsWriter({ apiKey: anthropic.apiKey, baseUrl: anthropic.baseUrl, allowLoopback });
  if (openai.apiKey) return new OpenAiLyricsWriter({ apiKey: openai.apiKey, baseUrl: openai.baseUrl, allowLoopback });
  if (gemini.apiKey) return new GeminiLyricsWriter({ apiKey: gemini.apiKey, baseUrl: gemini.baseUrl, allowLoopback });
  return new LocalLyricsWriter();
}
