import { Alert, Badge, Button, Group, Paper, Stack, Switch, Text, TextInput, Title } from '@mantine/core';
import { IconAlertTriangle, IconMovie, IconPhoto, IconSparkles } from '@tabler/icons-react';
import { useState, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useSearchParams } from 'react-router';
import { useCreateMusicVideo, type AspectRatio, type LyricsInput as LyricsBody, type Resolution } from '../../api/musicVideos';
import { ErrorAlert } from '../../components/ErrorAlert';
import { ClipList } from '../../components/musicvideo/ClipList';
import { CreateError } from '../../components/musicvideo/CreateError';
import { FormatOptions } from '../../components/musicvideo/FormatOptions';
import { LyricsInput } from '../../components/musicvideo/LyricsInput';
import { detectLyricsFormat } from '../../components/musicvideo/lyricsFormat';
import { PhotoGrid } from '../../components/musicvideo/PhotoGrid';
import { SongCard } from '../../components/musicvideo/SongCard';
import { StylePicker } from '../../components/musicvideo/StylePicker';
import { usePreloadedInputs } from '../../components/musicvideo/usePreloadedInputs';
import { MAX_CLIPS, MAX_PHOTOS, useWizardUploads } from '../../components/musicvideo/useWizardUploads';
import { DropZone } from '../../components/uploads/DropZone';
import { useDocumentTitle } from '../../hooks/useDocumentTitle';

const MAX_TITLE = 100;
/** The wizard also takes photos straight from phones (HEIC). */
const WIZARD_ACCEPT = 'audio/*,image/*,video/*,.flac,.m4a,.opus,.mov,.heic,.heif';

function Step({ n, title, children, testId }: { n: number; title: string; children: ReactNode; testId: string }) {
  const id = `mv-step-${n}`;
  return (
    <Paper component="section" p={{ base: 'md', sm: 'lg' }} radius="lg" aria-labelledby={id} data-testid={testId}>
      <Group gap="sm" mb="md">
        <Badge size="lg" circle variant="light" aria-hidden>
          {n}
        </Badge>
        <Title order={2} size="h4" id={id}>
          {title}
        </Title>
      </Group>
      {children}
    </Paper>
  );
}

function lyricsBody(text: string): LyricsBody | undefined {
  if (!text.trim()) return undefined;
  const format = detectLyricsFormat(text);
  return format === 'lrc' ? { lrc: text } : format === 'srt' ? { srt: text } : { text };
}

/** Create → Music video: song and photos in, style with live previews, optional lyrics and title, then the job page. */
export function MusicVideoWizardPage() {
  const { t } = useTranslation();
  useDocumentTitle(t('musicVideo.docTitle'));
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const uploads = useWizardUploads();
  const [style, setStyle] = useState('pulse');
  const [aspect, setAspect] = useState<AspectRatio>('16:9');
  const [resolution, setResolution] = useState<Resolution>('720p');
  const [lyrics, setLyrics] = useState('');
  const [title, setTitle] = useState('');
  const [shuffle, setShuffle] = useState(false);
  const [rejected, setRejected] = useState<string[]>([]);
  const [overLimit, setOverLimit] = useState({ photos: 0, clips: 0 });
  const [missing, setMissing] = useState<string[]>([]);
  const preload = usePreloadedInputs(params, uploads, setLyrics);
  const create = useCreateMusicVideo();

  const { song, photos, clips } = uploads;
  const readyPhotos = photos.filter((p) => p.status === 'done' && p.result);
  const readyClips = clips.filter((c) => c.status === 'done' && c.result);
  const failed = [song, ...photos, ...clips].filter((it) => it?.status === 'error');
  const empty = !song && photos.length === 0 && clips.length === 0;

  const addFiles = (files: File[]) => {
    setMissing([]);
    const added = uploads.add(files);
    setRejected(added.rejected);
    setOverLimit(added.overLimit);
  };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const problems: string[] = [];
    if (!song?.result) problems.push(t('musicVideo.validation.song'));
    if (readyPhotos.length === 0) problems.push(t('musicVideo.validation.photos'));
    if (failed.length) problems.push(t('musicVideo.validation.failed', { count: failed.length }));
    setMissing(problems);
    if (problems.length || !song?.result || uploads.busy) return;
    const lyricsPart = lyricsBody(lyrics);
    create.mutate(
      {
        audio_file: song.result.id,
        image_files: readyPhotos.map((p) => p.result!.id),
        ...(readyClips.length ? { video_files: readyClips.map((c) => c.result!.id) } : {}),
        style,
        aspect_ratio: aspect,
        resolution,
        ...(lyricsPart ? { lyrics: lyricsPart } : {}),
        ...(title.trim() ? { title: title.trim() } : {}),
        ...(shuffle ? { photo_order: 'auto' as const } : {}),
      },
      { onSuccess: (job) => navigate(`/jobs/${job.id}`) },
    );
  };

  const firstPhoto = readyPhotos[0]?.result?.id ?? null;
  const styleName = t(`musicVideo.styles.${style}.name`, { defaultValue: style });

  return (
    <form onSubmit={submit} noValidate data-testid="mv-wizard">
      <Stack gap="lg">
        <div>
          <Title order={1} size="h2">
            {t('musicVideo.title')}
          </Title>
          <Text c="dimmed" mt={4}>
            {t('musicVideo.subtitle')}
          </Text>
        </div>

        <Step n={1} title={t('musicVideo.steps.media')} testId="mv-step-media">
          <Stack gap="md">
            {preload.songError ? <ErrorAlert error={preload.songError} /> : null}
            {preload.songWrongKind ? (
              <Alert color="yellow" variant="light" icon={<IconAlertTriangle size={20} aria-hidden />}>
                {t('musicVideo.preload.notAudio')}
              </Alert>
            ) : null}
            {preload.lyricsError ? (
              <Alert color="yellow" variant="light" icon={<IconAlertTriangle size={20} aria-hidden />} title={t('musicVideo.preload.lyricsFailed')}>
                <ErrorAlert error={preload.lyricsError} />
              </Alert>
            ) : null}
            <DropZone
              onFiles={addFiles}
              size={empty ? 'lg' : 'compact'}
              accept={WIZARD_ACCEPT}
              testId="mv-drop-zone"
              inputTestId="mv-file-input"
              text={{
                title: empty ? t('musicVideo.drop.title') : t('musicVideo.drop.more'),
                dropNow: t('musicVideo.drop.now'),
                hint: t('musicVideo.drop.hint'),
                choose: t('musicVideo.drop.choose'),
                kinds: [t('musicVideo.drop.oneSong'), t('musicVideo.drop.photos'), t('musicVideo.drop.clips')],
              }}
            />
            {rejected.length ? (
              <Alert color="yellow" variant="light" icon={<IconAlertTriangle size={20} aria-hidden />} withCloseButton onClose={() => setRejected([])} closeButtonLabel={t('common.dismiss')}>
                {t('musicVideo.drop.rejected', { names: rejected.join(', ') })}
              </Alert>
            ) : null}
            {overLimit.photos || overLimit.clips ? (
              <Alert
                color="yellow"
                variant="light"
                icon={<IconAlertTriangle size={20} aria-hidden />}
                withCloseButton
                onClose={() => setOverLimit({ photos: 0, clips: 0 })}
                closeButtonLabel={t('common.dismiss')}
                data-testid="mv-over-limit"
              >
                {t('musicVideo.drop.overLimit', { maxPhotos: MAX_PHOTOS, maxClips: MAX_CLIPS, count: overLimit.photos + overLimit.clips })}
              </Alert>
            ) : null}
            {song ? <SongCard song={song} onRemove={() => uploads.remove(song.key)} onRetry={() => uploads.retry(song.key)} /> : null}
            {photos.length ? (
              <Stack gap={6}>
                <Group justify="space-between">
                  <Text size="sm" fw={600}>
                    {t('musicVideo.photos.count', { count: photos.length })}
                  </Text>
                  <Text size="xs" c="dimmed">
                    {shuffle ? t('musicVideo.photos.shuffleHint') : t('musicVideo.photos.reorderHint')}
                  </Text>
                </Group>
                <PhotoGrid photos={photos} onMove={uploads.movePhoto} onRemove={uploads.remove} onRetry={uploads.retry} />
                {photos.length > 1 ? (
                  <Switch
                    checked={shuffle}
                    onChange={(e) => setShuffle(e.currentTarget.checked)}
                    label={t('musicVideo.photos.shuffle')}
                    size="sm"
                    data-testid="mv-shuffle"
                  />
                ) : null}
              </Stack>
            ) : song ? (
              <Group gap="xs" c="dimmed">
                <IconPhoto size={16} aria-hidden />
                <Text size="sm">{t('musicVideo.photos.none')}</Text>
              </Group>
            ) : null}
            <ClipList clips={clips} onRemove={uploads.remove} onRetry={uploads.retry} />
          </Stack>
        </Step>

        <Step n={2} title={t('musicVideo.steps.style')} testId="mv-step-style">
          <Stack gap="lg">
            <FormatOptions aspect={aspect} resolution={resolution} onAspect={setAspect} onResolution={setResolution} />
            <StylePicker value={style} onChange={setStyle} previewFile={firstPhoto} aspect={aspect} />
          </Stack>
        </Step>

        <Step n={3} title={t('musicVideo.steps.words')} testId="mv-step-words">
          <Stack gap="md">
            <TextInput
              label={t('musicVideo.titleField.label')}
              description={t('musicVideo.titleField.description')}
              value={title}
              maxLength={MAX_TITLE}
              onChange={(e) => setTitle(e.currentTarget.value)}
              data-testid="mv-title"
            />
            <LyricsInput value={lyrics} onChange={setLyrics} />
          </Stack>
        </Step>

        <Paper p={{ base: 'md', sm: 'lg' }} radius="lg">
          <Stack gap="sm">
            {missing.length ? (
              <Alert color="red" variant="light" icon={<IconAlertTriangle size={20} aria-hidden />} title={t('musicVideo.validation.title')} role="alert" data-testid="mv-validation">
                <Stack gap={2}>
                  {missing.map((m) => (
                    <Text key={m} size="sm">
                      {m}
                    </Text>
                  ))}
                </Stack>
              </Alert>
            ) : null}
            {create.isError ? <CreateError error={create.error} /> : null}
            <Group justify="space-between" gap="sm">
              <Text size="sm" c="dimmed" data-testid="mv-summary">
                {t('musicVideo.summary', {
                  photos: readyPhotos.length,
                  clips: readyClips.length,
                  style: styleName,
                  aspect,
                  resolution,
                })}
              </Text>
              <Button
                type="submit"
                size="md"
                leftSection={uploads.busy ? <IconSparkles size={18} aria-hidden /> : <IconMovie size={18} aria-hidden />}
                loading={create.isPending}
                disabled={uploads.busy}
                data-testid="mv-create"
              >
                {uploads.busy ? t('musicVideo.create.waiting') : t('musicVideo.create.label')}
              </Button>
            </Group>
          </Stack>
        </Paper>
      </Stack>
    </form>
  );
}
