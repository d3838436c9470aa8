import type { AppContext } from '../../app.js';

export class MediaService {
  constructor(private readonly ctx: AppContext) {}
}
