import type { AppContext } from '../../app.js';

export class AccountsService {
  constructor(private readonly ctx: AppContext) {}
}
