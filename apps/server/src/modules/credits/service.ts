import type { AppContext } from '../../app.js';

export class CreditsService {
  constructor(private readonly ctx: AppContext) {}
}
