import centroid from '@turf/centroid';
import { TextLayer } from '@deck.gl/layers';
import type { FeatureCollection, Geometry } from 'geojson';
import type { DistrictProperties } from '../api/client.ts';
import type { Language } from '../i18n/messages.ts';

export interface DistrictLabel {
  code: string;
  name: string;
  nameEn: string;
  position: [number, number];
}

/** The demo districts are blocks of grid cells, so their centroid lies well inside each one. */
export function districtLabels(districts: FeatureCollection<Geometry, DistrictProperties>): DistrictLabel[] {
  return districts.features.map((feature) => {
    const [longitude = 0, latitude = 0] = centroid(feature).geometry.coordinates;
    return {
      code: feature.properties.code,
      name: feature.properties.name,
      nameEn: feature.properties.name_en,
      position: [longitude, latitude],
    };
  });
}

export const districtLabelLayerId = 'district-labels';

/**
 * Labels drawn by deck.gl: the offline style has no glyph server, and deck.gl renders its own font
 * atlas from the fonts installed in the browser ('auto' gathers the Chinese characters needed).
 */
export function districtLabelLayer(labels: DistrictLabel[], language: Language): TextLayer<DistrictLabel> {
  return new TextLayer<DistrictLabel>({
    id: districtLabelLayerId,
    data: labels,
    characterSet: 'auto',
    fontFamily: '"Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "Microsoft YaHei", sans-serif',
    fontWeight: 700,
    fontSettings: { sdf: true, fontSize: 64, buffer: 6 },
    getPosition: (label) => label.position,
    getText: (label) => (language === 'zh-CN' ? label.name : label.nameEn),
    getSize: language === 'zh-CN' ? 20 : 18,
    sizeUnits: 'pixels',
    getColor: [72, 58, 112, 235],
    outlineWidth: 4,
    outlineColor: [255, 255, 255, 230],
    getTextAnchor: 'middle',
    getAlignmentBaseline: 'center',
    updateTriggers: { getText: language, getSize: language },
  });
}
