import type { AppContext } from '../../app.js';

export class MailOutbox {
  constructor(private readonly ctx: AppContext) {}
}
