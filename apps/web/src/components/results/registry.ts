import type { ComponentType } from 'react';
import type { Job } from '../../api/types';
import { SongResult } from './SongResult';
import { MusicVideoResult } from './MusicVideoResult';
import { EditResult } from './EditResult';

/** What a result view receives: the finished (or running) job. */
export interface ResultViewProps {
  job: Job;
}

/**
 * Job type → the view shown on the job page above the generic outputs list (a player, an
 * analysis, actions such as "Open in editor"). Each feature registers its own view here.
 */
export const RESULT_VIEWS: Record<string, ComponentType<ResultViewProps>> = {
  song: SongResult,
  music_video: MusicVideoResult,
  edit: EditResult,
};
