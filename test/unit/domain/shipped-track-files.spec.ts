import { describe, it, expect } from '@jest/globals';
import { createHash } from 'node:crypto';
import { getTrackDefinition, type TrackDefinition } from '../../../libs/domain/index.js';
import { checkTrackDefinition, formatProblem } from '../../../libs/domain/track-loader.js';
import standardV1 from '../../../libs/domain/tracks/standard.v1.track.json' with { type: 'json' };
import standardV2 from '../../../libs/domain/tracks/standard.v2.track.json' with { type: 'json' };
import standardV3 from '../../../libs/domain/tracks/standard.v3.track.json' with { type: 'json' };
import bondedZoneV1 from '../../../libs/domain/tracks/bonded_zone.v1.track.json' with { type: 'json' };
import relocationV1 from '../../../libs/domain/tracks/relocation.v1.track.json' with { type: 'json' };

/** SHA-256 of a definition's JSON with keys sorted: changes when any field of the definition changes. */
function fingerprint(def: TrackDefinition): string {
  const canonical = (v: unknown): unknown =>
    Array.isArray(v) ? v.map(canonical) : v && typeof v === 'object' ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, canonical((v as Record<string, unknown>)[k])])) : v;
  return createHash('sha256').update(JSON.stringify(canonical(def))).digest('hex');
}

/**
 * The fingerprints of the definitions as released (taken from the TypeScript objects they were written from, which
 * scripts/generate-track-files.ts turned into these files, both removed since): running projects replay against
 * exactly these.
 */
const FINGERPRINTS: Record<string, string> = {
  'standard.v1.track.json': '2706689df631e3373017d60ca4794b830eedf09b10da24737a5cc8e41dbfbc0f',
  'standard.v2.track.json': 'dc2985c0bfdce5ac5d41dae9f3573ef3826e691d35cf4044ec97a6fd0b094a8b',
  'standard.v3.track.json': '74bcb14d7799088ef42de87ab358beacc62afe3e4a6d88940243ae00425daabd',
  'bonded_zone.v1.track.json': '5cb363d936fcfb5f6103be6d116de9f9b59748eaaa84a108d0022cbf4539cee4',
  // written as data from the start (no TypeScript object before it)
  'relocation.v1.track.json': '7965c6f48be342a11d9eb930f2b1b8501734ae648c88d229dd7f7086d9897d3b',
};

describe('the shipped track data files', () => {
  it.each([
    ['standard.v1.track.json', standardV1],
    ['standard.v2.track.json', standardV2],
    ['standard.v3.track.json', standardV3],
    ['bonded_zone.v1.track.json', bondedZoneV1],
    ['relocation.v1.track.json', relocationV1],
  ] as const)('%s loads unchanged: the definition running projects pinned', (file, doc) => {
    const result = checkTrackDefinition(doc);

    expect(result.ok ? [] : result.problems.map(formatProblem)).toEqual([]);
    const loaded = result.ok ? result.definition : null;
    expect(fingerprint(loaded!)).toBe(FINGERPRINTS[file]);
    expect(getTrackDefinition(loaded!.track, loaded!.version)).toEqual(loaded);
  });
});
