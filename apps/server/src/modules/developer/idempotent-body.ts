import { createHash, type Hash } from 'node:crypto';
import type { FastifyRequest } from 'fastify';

/**
 * Idempotency-Key for request bodies that stream to the handler (multipart uploads).
 *
 * The request hooks (hooks.ts) claim the key before the handler runs, when such a body has not
 * been read yet. The route that reads the body asks streamedBodyIdempotency(req) what to do:
 *
 *  - no key (undefined): nothing;
 *  - `compareOnly: false` — this request owns the key: digest the body while it streams (the
 *    file is stored as usual), then `bodyRead(digest)` records the content fingerprint *before*
 *    acting on the body. A response of a request that never got there (refused before or while
 *    the body was read) is not kept, so a retry runs afresh instead of replaying it;
 *  - `compareOnly: true` — a request with this key has completed: read the body only to digest
 *    it (drained, never stored), then `bodyRead(digest)` sends the stored response again (same
 *    content: returns true) or throws 422 `idempotency_key_reused` (different content).
 */
export interface StreamedBodyIdempotency {
  readonly compareOnly: boolean;
  /** Call once, after the whole body was read; see above. True when the stored response was sent. */
  bodyRead(digest: string): Promise<boolean>;
}

const streamed = new WeakMap<FastifyRequest, StreamedBodyIdempotency>();

/** What the route reading a streamed body must do about the request's Idempotency-Key. */
export function streamedBodyIdempotency(req: FastifyRequest): StreamedBodyIdempotency | undefined {
  return streamed.get(req);
}

/** Set by the request hooks when they claim (or find completed) a key for a streamed body. */
export function setStreamedBodyIdempotency(req: FastifyRequest, s: StreamedBodyIdempotency): void {
  streamed.set(req, s);
}

/** Digests one file part while its bytes stream through. */
export interface FilePartDigest {
  update(chunk: Buffer): void;
  /** The part's bytes are all seen; `truncated` when the parser cut it at a size limit. */
  end(truncated?: boolean): void;
}

/**
 * The digest of a multipart/form-data body's *content*, computed while it streams: for each part,
 * in order, its field name, file name, content type and value or bytes. Not the boundary (a
 * client picks a new random one for every send, so a retry of the same form must match) nor
 * anything else of the encoding. File bytes are hashed chunk by chunk, never held in memory.
 */
export class MultipartDigest {
  private readonly hash: Hash = createHash('sha256');
  private open = false;

  field(name: string, contentType: string, value: string, truncated = false): void {
    this.entry(['field', name, contentType, value, truncated]);
  }

  file(name: string, filename: string, contentType: string): FilePartDigest {
    if (this.open) throw new Error('MultipartDigest: the previous file part has not ended');
    this.open = true;
    const bytes = createHash('sha256');
    let size = 0;
    let ended = false;
    return {
      update: (chunk) => {
        bytes.update(chunk);
        size += chunk.length;
      },
      end: (truncated = false) => {
        if (ended) return;
        ended = true;
        this.open = false;
        this.entry(['file', name, filename, contentType, size, bytes.digest('hex'), truncated]);
      },
    };
  }

  /** Hex SHA-256 of the parts so far (call once, after the last part). */
  digest(): string {
    if (this.open) throw new Error('MultipartDigest: a file part has not ended');
    return this.hash.digest('hex');
  }

  /** One part as a JSON line: unambiguous whatever the names and values contain. */
  private entry(e: unknown[]): void {
    this.hash.update(`${JSON.stringify(e)}\n`, 'utf8');
  }
}
