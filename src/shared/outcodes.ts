import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The shipped outward-code centroids: where a postcode district is, for validation and rough distance. */
export interface Point {
  latitude: number;
  longitude: number;
}

let centroids: Map<string, Point> | undefined;

function load(): Map<string, Point> {
  const file = path.join(path.dirname(fileURLToPath(import.meta.url)), '../data/outcode-centroids.csv');
  const map = new Map<string, Point>();
  for (const line of fs.readFileSync(file, 'utf8').split('\n').slice(1)) {
    const [outcode, latitude, longitude] = line.split(',');
    if (outcode && latitude && longitude) map.set(outcode, { latitude: Number(latitude), longitude: Number(longitude) });
  }
  return map;
}

export function outcodeCentroid(outcode: string): Point | undefined {
  centroids ??= load();
  return centroids.get(outcode.toUpperCase());
}
