/*
 * One-off: writes the shipped track definitions, until now TypeScript objects, as data files
 * (`libs/domain/tracks/<track>.v<version>.track.json`), exactly as they were declared (the loader orders the steps
 * when it loads them). Run from the repository root, once, before the TypeScript objects were removed:
 *   npx tsc -p tsconfig.build.json && node dist/scripts/generate-track-files.js
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { TrackDefinition } from '../libs/domain/track-definition.js';
import { BONDED_ZONE_TRACK_V1 } from '../libs/domain/tracks/bonded-zone.track.js';
import { STANDARD_TRACK_V2 } from '../libs/domain/tracks/standard-v2.track.js';
import { STANDARD_TRACK_V3 } from '../libs/domain/tracks/standard-v3.track.js';
import { STANDARD_TRACK_V1 } from '../libs/domain/tracks/standard.track.js';

/** The data file's name of a definition: `standard.v3.track.json`. */
export function trackFileName(def: Pick<TrackDefinition, 'track' | 'version'>): string {
  return `${def.track}.v${def.version}.track.json`;
}

const dir = path.join(process.cwd(), 'libs', 'domain', 'tracks');
for (const def of [STANDARD_TRACK_V1, STANDARD_TRACK_V2, STANDARD_TRACK_V3, BONDED_ZONE_TRACK_V1]) {
  const file = path.join(dir, trackFileName(def));
  writeFileSync(file, `${JSON.stringify(def, null, 2)}\n`);
  console.log(`wrote ${path.relative(process.cwd(), file)}`);
}
