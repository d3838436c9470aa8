import type { AppContext } from '../../app.js';
import type { JobRow } from '../jobs/db.js';
import { escapeHtml } from '../notify/templates.js';
import { EXPORT_JOB_TYPE } from './export.js';
import { logPrivacyAction } from './log.js';

const TEXT = {
  en: {
    subject: 'Your ClipMix data export is ready',
    body: (name: string, link: string) =>
      `Hi ${name},\n\nthe export of your ClipMix data you asked for is ready. Download it from:\n\n${link}\n\nIt contains one JSON file per part of ClipMix and all your files. If you did not ask for it, change your password.\n`,
  },
  es: {
    subject: 'Tu exportación de datos de ClipMix está lista',
    body: (name: string, link: string) =>
      `Hola ${name}:\n\nla exportación de tus datos de ClipMix que pediste está lista. Descárgala desde:\n\n${link}\n\nContiene un archivo JSON por cada parte de ClipMix y todos tus archivos. Si no la pediste, cambia tu contraseña.\n`,
  },
} as const;

/** A succeeded export: a privacy log entry and a "your export is ready" email with the job link. */
export async function onExportFinished(ctx: AppContext, job: JobRow): Promise<void> {
  if (job.type !== EXPORT_JOB_TYPE || job.status !== 'succeeded') return;
  const user = await ctx.db.selectFrom('users').select(['id', 'email', 'name', 'locale']).where('id', '=', job.user_id).executeTakeFirst();
  if (!user) return; // deleted meanwhile
  await logPrivacyAction(ctx, user.id, 'export_ready', { job: job.id });
  const link = `${(ctx.config.publicUrl ?? `http://localhost:${ctx.config.port}`).replace(/\/$/, '')}/jobs/${job.id}`;
  const t = user.locale === 'es' ? TEXT.es : TEXT.en;
  const text = t.body(user.name, link);
  await ctx.services.mail.send({
    userId: user.id,
    to: user.email,
    template: 'account_export_ready',
    subject: t.subject,
    text,
    html: `<p>${escapeHtml(text).replace(/\n\n/g, '</p><p>').replace(escapeHtml(link), `<a href="${escapeHtml(link)}">${escapeHtml(link)}</a>`)}</p>`,
  });
}
