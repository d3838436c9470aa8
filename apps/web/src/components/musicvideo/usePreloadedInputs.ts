import { useEffect, useRef } from 'react';
import { useFile } from '../../api/files';
import { useFileText } from '../../api/musicVideos';
import type { WizardUploads } from './useWizardUploads';

/**
 * `?audio_file=file_…&lyrics_file=file_…` (the song studio's "Make a music video from this song"):
 * the song joins the wizard as an existing upload, the LRC's content goes into the lyrics field.
 */
export function usePreloadedInputs(params: URLSearchParams, uploads: WizardUploads, setLyrics: (text: string) => void) {
  const audioId = params.get('audio_file');
  const lyricsId = params.get('lyrics_file');
  const song = useFile(audioId);
  const lyrics = useFileText(lyricsId);
  const usedSong = useRef<string | null>(null);
  const usedLyrics = useRef<string | null>(null);
  const { addExisting } = uploads;

  useEffect(() => {
    if (song.data && song.data.kind === 'audio' && usedSong.current !== song.data.id) {
      usedSong.current = song.data.id;
      addExisting(song.data);
    }
  }, [song.data, addExisting]);

  useEffect(() => {
    if (lyricsId && lyrics.data !== undefined && usedLyrics.current !== lyricsId) {
      usedLyrics.current = lyricsId;
      setLyrics(lyrics.data.replace(/^\uFEFF/, ''));
    }
  }, [lyricsId, lyrics.data, setLyrics]);

  return {
    songError: song.error,
    songWrongKind: !!song.data && song.data.kind !== 'audio',
    lyricsError: lyrics.error,
    loading: (!!audioId && song.isPending) || (!!lyricsId && lyrics.isPending),
  };
}
