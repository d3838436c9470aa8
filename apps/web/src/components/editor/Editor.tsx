import { ActionIcon, Alert, Badge, Button, Grid, Group, Paper, Stack, Tabs, Text, Tooltip } from '@mantine/core';
import { useElementSize } from '@mantine/hooks';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { IconArrowBackUp, IconArrowForwardUp, IconCut, IconDownload, IconPlayerPause, IconPlayerPlay, IconScissors } from '@tabler/icons-react';
import { useCallback, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { createEdit } from '../../api/edits';
import { qk } from '../../api/keys';
import type { FileObject } from '../../api/types';
import { ErrorAlert } from '../ErrorAlert';
import { FilterGallery } from './FilterGallery';
import { FramePanel } from './FramePanel';
import { compile, MIN_PART, newDoc, outputLength, segments, toOutputTime, type EditorDoc, type TextOverlay } from './model';
import { PreviewStage } from './PreviewStage';
import { ShortcutsHelp } from './ShortcutsHelp';
import { TextPanel } from './TextPanel';
import { formatClock } from './time';
import { Timeline } from './Timeline';
import { useHistory } from './useHistory';
import { usePlayback } from './usePlayback';
import { usePreviewImage } from './usePreviewImage';
import { useShortcuts } from './useShortcuts';

const FRAME_STEP = 1 / 25;
let nextId = 1;

/** The editor for one video: preview, timeline, panels, undo/redo, shortcuts, export. */
export function Editor({ file }: { file: FileObject }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const duration = file.duration_seconds ?? 0;
  const history = useHistory<EditorDoc>(newDoc(duration));
  const doc = history.value;
  const commit = history.commit;
  const playback = usePlayback(doc);
  const [tab, setTab] = useState<string | null>('text');
  const [selectedText, setSelectedText] = useState<string | null>(null);
  const [selectedSegment, setSelectedSegment] = useState<number | null>(null);
  const stage = useElementSize();
  const frame = useMemo(() => (file.width && file.height ? { width: file.width, height: file.height } : { width: 16, height: 9 }), [file.width, file.height]);
  const operations = useMemo(() => compile(doc, file.width && file.height ? frame : null), [doc, frame, file.width, file.height]);
  const outLen = outputLength(doc);
  const time = playback.time;

  const exactRequest =
    playback.playing || outLen < MIN_PART
      ? null
      : {
          source_file: file.id,
          operations,
          time: Math.round(Math.min(Math.max(0, toOutputTime(doc, time)), Math.max(0, outLen - 0.05)) * 1000) / 1000,
          width: Math.max(160, Math.min(960, Math.round((stage.width || 640) / 16) * 16)),
        };
  const exact = usePreviewImage(exactRequest, { delayMs: 250 });
  const exactUrl = exact.url && exact.forKey === exact.key ? exact.url : null;

  const exportEdit = useMutation({
    mutationFn: () => createEdit({ source_file: file.id, operations }),
    onSuccess: (job) => {
      void qc.invalidateQueries({ queryKey: qk.jobs });
      void qc.invalidateQueries({ queryKey: qk.credits });
      navigate(`/jobs/${encodeURIComponent(job.id)}`);
    },
  });

  const setTrim = useCallback(
    (edge: 'start' | 'end', value: number, key?: string) =>
      commit((d) => {
        if (edge === 'start') {
          const v = Math.max(0, Math.min(value, d.trimEnd - MIN_PART));
          return v === d.trimStart ? d : { ...d, trimStart: v };
        }
        const v = Math.min(d.duration, Math.max(value, d.trimStart + MIN_PART));
        return v === d.trimEnd ? d : { ...d, trimEnd: v };
      }, key),
    [commit],
  );

  const split = () => {
    if (time <= doc.trimStart + MIN_PART || time >= doc.trimEnd - MIN_PART) return;
    if (doc.splits.some((s) => Math.abs(s - time) < MIN_PART)) return;
    commit((d) => ({ ...d, splits: [...d.splits, Math.round(time * 1000) / 1000].sort((a, b) => a - b) }));
  };

  const removeSelection = () => {
    if (selectedText) {
      commit((d) => ({ ...d, texts: d.texts.filter((x) => x.id !== selectedText) }));
      setSelectedText(null);
      return;
    }
    if (selectedSegment === null) return;
    const seg = segments(doc)[selectedSegment];
    if (!seg) return;
    if (seg.removed) commit((d) => ({ ...d, cuts: d.cuts.filter((c) => !(c.start <= seg.start + 1e-3 && c.end >= seg.end - 1e-3)) }));
    else if (outputLength({ ...doc, cuts: [...doc.cuts, { start: seg.start, end: seg.end }] }) >= MIN_PART) {
      commit((d) => ({ ...d, cuts: [...d.cuts, { start: seg.start, end: seg.end }] }));
    }
    setSelectedSegment(null);
  };

  const addText = () => {
    const start = Math.min(Math.max(time, doc.trimStart), Math.max(doc.trimStart, doc.trimEnd - 0.5));
    const overlay: TextOverlay = {
      id: `t${nextId++}`,
      text: t('editor.newText'),
      start: Math.round(start * 100) / 100,
      end: Math.round(Math.min(doc.trimEnd, start + 2) * 100) / 100,
      x: 0.1,
      y: 0.72,
      size: 9,
      color: '#ffffff',
      animation: 'fade',
    };
    commit((d) => ({ ...d, texts: [...d.texts, overlay] }));
    setSelectedText(overlay.id);
    setTab('text');
    if (time < overlay.start || time >= overlay.end) playback.seek(overlay.start);
  };

  const changeText = (id: string, patch: Partial<TextOverlay>, key?: string) =>
    commit((d) => ({ ...d, texts: d.texts.map((x) => (x.id === id ? { ...x, ...patch } : x)) }), key);

  useShortcuts({
    togglePlay: playback.toggle,
    back: () => playback.seek(time - 1),
    pause: playback.pause,
    forward: playback.forward,
    markIn: () => setTrim('start', Math.round(time * 1000) / 1000),
    markOut: () => setTrim('end', Math.round(time * 1000) / 1000),
    split,
    remove: removeSelection,
    undo: history.undo,
    redo: history.redo,
    step: (n) => {
      playback.pause();
      playback.seek(time + n * FRAME_STEP);
    },
  });

  return (
    <Stack gap="md" data-testid="editor">
      <Group justify="space-between">
        <Group gap="xs">
          <Tooltip label={t('editor.undo')}>
            <ActionIcon variant="default" size="lg" aria-label={t('editor.undo')} disabled={!history.canUndo} onClick={history.undo}>
              <IconArrowBackUp size={18} aria-hidden />
            </ActionIcon>
          </Tooltip>
          <Tooltip label={t('editor.redo')}>
            <ActionIcon variant="default" size="lg" aria-label={t('editor.redo')} disabled={!history.canRedo} onClick={history.redo}>
              <IconArrowForwardUp size={18} aria-hidden />
            </ActionIcon>
          </Tooltip>
          <ShortcutsHelp />
        </Group>
        <Group gap="sm">
          <Badge variant="light" color="gray" size="lg" data-testid="output-length">
            {t('editor.outputLength', { time: formatClock(outLen) })}
          </Badge>
          <Button leftSection={<IconDownload size={16} aria-hidden />} loading={exportEdit.isPending} disabled={outLen < MIN_PART} onClick={() => exportEdit.mutate()}>
            {t('editor.export')}
          </Button>
        </Group>
      </Group>
      {exportEdit.isError ? <ErrorAlert error={exportEdit.error} /> : null}
      <Grid gap="md">
        <Grid.Col span={8}>
          <Paper p="md" radius="lg">
            <Stack gap="sm">
              <div ref={stage.ref}>
                <PreviewStage
                  src={file.content_url}
                  poster={file.thumbnail_url}
                  frame={frame}
                  doc={doc}
                  videoRef={playback.videoRef}
                  time={time}
                  exactUrl={exactUrl}
                  showCropBox={tab === 'frame'}
                  selectedText={selectedText}
                  onSelectText={setSelectedText}
                  onMoveText={(id, x, y, key) => changeText(id, { x: Math.round(x * 1000) / 1000, y: Math.round(y * 1000) / 1000 }, key)}
                />
              </div>
              {exact.error && exactRequest ? (
                <Alert color="orange" variant="light" py={6}>
                  <Text size="xs">{(exact.error as Error).message}</Text>
                </Alert>
              ) : null}
              <Group justify="space-between">
                <Group gap="xs">
                  <ActionIcon size="lg" variant="filled" aria-label={playback.playing ? t('editor.pause') : t('editor.play')} onClick={playback.toggle}>
                    {playback.playing ? <IconPlayerPause size={18} aria-hidden /> : <IconPlayerPlay size={18} aria-hidden />}
                  </ActionIcon>
                  <Text size="sm" ff="monospace" aria-live="off" data-testid="playhead-time">
                    {formatClock(time)} / {formatClock(duration)}
                  </Text>
                </Group>
                <Group gap="xs">
                  <Button size="xs" variant="default" leftSection={<IconScissors size={14} aria-hidden />} onClick={split}>
                    {t('editor.split')}
                  </Button>
                  <Button size="xs" variant="default" leftSection={<IconCut size={14} aria-hidden />} disabled={selectedSegment === null} onClick={removeSelection}>
                    {segments(doc)[selectedSegment ?? -1]?.removed ? t('editor.restoreSegment') : t('editor.deleteSegment')}
                  </Button>
                </Group>
              </Group>
              <Timeline
                doc={doc}
                time={time}
                src={file.content_url}
                waveformUrl={file.waveform_url}
                onSeek={(v) => {
                  playback.seek(v);
                }}
                onTrim={setTrim}
                selectedSegment={selectedSegment}
                onSelectSegment={(i) => {
                  setSelectedSegment(i);
                  setSelectedText(null);
                }}
                selectedText={selectedText}
                onSelectText={(id) => {
                  setSelectedText(id);
                  setTab('text');
                }}
              />
            </Stack>
          </Paper>
        </Grid.Col>
        <Grid.Col span={4}>
          <Paper p="md" radius="lg">
            <Tabs value={tab} onChange={setTab} keepMounted={false}>
              <Tabs.List grow mb="md">
                <Tabs.Tab value="text">{t('editor.tabText')}</Tabs.Tab>
                <Tabs.Tab value="filters">{t('editor.tabFilters')}</Tabs.Tab>
                <Tabs.Tab value="frame">{t('editor.tabFrame')}</Tabs.Tab>
              </Tabs.List>
              <Tabs.Panel value="text">
                <TextPanel
                  texts={doc.texts}
                  selected={selectedText}
                  duration={duration}
                  onAdd={addText}
                  onChange={changeText}
                  onDelete={(id) => {
                    commit((d) => ({ ...d, texts: d.texts.filter((x) => x.id !== id) }));
                    setSelectedText(null);
                  }}
                  onSelect={setSelectedText}
                />
              </Tabs.Panel>
              <Tabs.Panel value="filters">
                <FilterGallery fileId={file.id} time={Math.min(time, Math.max(0, duration - 0.1))} value={doc.filter} onChange={(name) => commit((d) => ({ ...d, filter: name }))} />
              </Tabs.Panel>
              <Tabs.Panel value="frame">
                <FramePanel
                  doc={doc}
                  onTrim={setTrim}
                  onCrop={(aspect) => commit((d) => ({ ...d, crop: aspect }))}
                  onSpeed={(factor, key) => commit((d) => ({ ...d, speed: Math.min(4, Math.max(0.25, factor)) }), key)}
                />
              </Tabs.Panel>
            </Tabs>
          </Paper>
        </Grid.Col>
      </Grid>
    </Stack>
  );
}
