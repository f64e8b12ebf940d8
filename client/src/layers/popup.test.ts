import { describe, expect, it } from 'vitest';
import type { PublishedLayer } from '../api/client.ts';
import { messages } from '../i18n/messages.ts';
import { legendEntries } from './legend.ts';
import { popupRows } from './popup.ts';
import { trashHotspotsStyle } from './trash-hotspots.ts';

/** A small layer built here, shaped like the registry's trash hotspots. */
const hotspots: PublishedLayer = {
  id: 'trash_hotspots',
  title: { zh: '垃圾死角', en: 'Trash hotspots' },
  geometryType: 'Point',
  minzoom: 10,
  maxzoom: 22,
  fields: [
    { name: 'volume_m3', type: 'number', title: { zh: '估算方量（m³）', en: 'Volume (m³)' } },
    {
      name: 'status',
      type: 'string',
      title: { zh: '清理状态', en: 'Stage' },
      values: [
        { value: 'reported', title: { zh: '已发现', en: 'Reported' } },
        { value: 'cleared', title: { zh: '已清零', en: 'Cleared' } },
      ],
    },
    { name: 'note', type: 'string', title: { zh: '备注', en: 'Note' } },
  ],
  legendField: 'status',
  editableBy: ['sanitation'],
  tiles: '/tiles/trash_hotspots/{z}/{x}/{y}.mvt',
  tilejson: '/tiles/trash_hotspots.json',
};

describe('popupRows', () => {
  it('puts a cluster\'s count first, and nothing for a single feature', () => {
    const cluster = popupRows(hotspots, { status: 'reported', point_count: 7 }, 'en', messages.en);
    expect(cluster[0]).toEqual({ name: 'point_count', label: 'Features here', value: '7' });
    expect(cluster[1]).toEqual({ name: 'status', label: 'Stage', value: 'Reported' });
    const single = popupRows(hotspots, { status: 'reported', point_count: 1 }, 'en', messages.en);
    expect(single.map((row) => row.name)).toEqual(['status']);
  });

  it('titles fields and enum values in the chosen language, in registry order, skipping empty values', () => {
    const properties = { status: 'cleared', volume_m3: 12.25, note: '', extra: 'not in the registry' };
    expect(popupRows(hotspots, properties, 'zh-CN', messages['zh-CN'])).toEqual([
      { name: 'volume_m3', label: '估算方量（m³）', value: '12.3' },
      { name: 'status', label: '清理状态', value: '已清零' },
    ]);
    expect(popupRows(hotspots, properties, 'en', messages.en).map((row) => [row.label, row.value])).toEqual([
      ['Volume (m³)', '12.3'],
      ['Stage', 'Cleared'],
    ]);
  });

  it('shows a value the registry does not list as it is', () => {
    expect(popupRows(hotspots, { status: 'archived' }, 'en', messages.en)).toEqual([
      { name: 'status', label: 'Stage', value: 'archived' },
    ]);
  });
});

describe('legendEntries', () => {
  it('lists the legend field values with the module colours, finished states muted', () => {
    expect(legendEntries(hotspots, trashHotspotsStyle, 'zh-CN')).toEqual([
      { key: 'reported', label: '已发现', color: '#c92a2a', shape: 'circle', muted: false },
      { key: 'cleared', label: '已清零', color: '#2f9e44', shape: 'circle', muted: true },
    ]);
  });

  it('gives a layer without a legend field one swatch titled with the layer', () => {
    const plain = { ...hotspots, legendField: undefined };
    expect(legendEntries(plain, trashHotspotsStyle, 'en')).toEqual([
      { key: 'trash_hotspots', label: 'Trash hotspots', color: '#c92a2a', shape: 'circle', muted: false },
    ]);
  });
});
