/** A song request the composer cannot honour; `field` names the offending request field. */
export class SongRequestError extends Error {
  override name = 'SongRequestError';
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
  }
}
