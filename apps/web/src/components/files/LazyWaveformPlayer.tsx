import { Center, Loader } from '@mantine/core';
import { lazy, Suspense, type ComponentProps } from 'react';

// wavesurfer.js loads only when a page shows audio.
const WaveformPlayer = lazy(() => import('./WaveformPlayer').then((m) => ({ default: m.WaveformPlayer })));

/** The waveform player, loaded on first use. */
export function LazyWaveformPlayer(props: ComponentProps<typeof WaveformPlayer>) {
  return (
    <Suspense
      fallback={
        <Center h={180}>
          <Loader type="bars" />
        </Center>
      }
    >
      <WaveformPlayer {...props} />
    </Suspense>
  );
}
