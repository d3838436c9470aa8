import type { FileObject, Job } from '../../api/types';

export interface SongDownload {
  id: string;
  role: string;
  /** Translation key and values for the label. */
  labelKey: string;
  labelValues?: Record<string, string>;
  filename: string;
  mime: string;
}

const STEM = /-(drums|bass|harmony|lead|vocals)\.[a-z0-9]+$/i;

/** The song's outputs as labelled downloads (MP3, WAV, stems, MIDI, LRC), in that order. */
export function songDownloads(job: Job, files: Map<string, FileObject>): SongDownload[] {
  const out: SongDownload[] = [];
  for (const o of job.output?.files ?? []) {
    const f = files.get(o.file);
    if (!f) continue;
    const base = { id: f.id, role: o.role, filename: f.filename, mime: f.mime };
    if (o.role === 'audio') out.push({ ...base, labelKey: f.mime === 'audio/mpeg' ? 'song.result.mp3' : 'song.result.wav' });
    else if (o.role === 'stems') {
      const stem = STEM.exec(f.filename)?.[1]?.toLowerCase() ?? f.filename;
      out.push({ ...base, labelKey: 'song.result.stem', labelValues: { stem } });
    } else if (o.role === 'midi') out.push({ ...base, labelKey: 'song.result.midi' });
    else if (o.role === 'lyrics_lrc') out.push({ ...base, labelKey: 'song.result.lrc' });
  }
  return out;
}

export function mainMp3(job: Job, files: Map<string, FileObject>): FileObject | undefined {
  const audio = (job.output?.files ?? []).filter((o) => o.role === 'audio').map((o) => files.get(o.file));
  return audio.find((f) => f?.mime === 'audio/mpeg') ?? audio.find(Boolean);
}
