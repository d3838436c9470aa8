/** Locate a General MIDI soundfont installed by the OS (Debian's fluid-soundfont-gm). */
import { accessSync, constants } from 'node:fs';
import { join } from 'node:path';

const SF2_DIRS = ['/usr/share/sounds/sf2', '/usr/share/soundfonts', '/usr/local/share/sounds/sf2'];
const SF2_NAMES = ['FluidR3_GM.sf2', 'default-GM.sf2'];

/** The first readable GM soundfont (FluidR3_GM.sf2 preferred), or null when none is installed. */
export function findSoundfont(dirs: readonly string[] = SF2_DIRS): string | null {
  for (const dir of dirs) {
    for (const name of SF2_NAMES) {
      const path = join(dir, name);
      try {
        accessSync(path, constants.R_OK);
        return path;
      } catch {
        // not here; keep looking
      }
    }
  }
  return null;
}
