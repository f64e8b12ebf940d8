import { describe, expect, it } from 'vitest';
import type { PublishedLayer } from '../api/client.ts';
import { messages } from '../i18n/messages.ts';
import { fieldError, formErrors, formFields, formValuesFromProperties, propertiesFromForm, splitInvalidParams } from './form-model.ts';

const t = messages.en;

/** A small layer built here, shaped like the registry's vendor zones and roads. */
const layer = {
  legendField: 'kind',
  fields: [
    { name: 'name', type: 'string', title: { zh: '名称', en: 'Name' } },
    {
      name: 'kind',
      type: 'string',
      title: { zh: '类型', en: 'Kind' },
      values: [
        { value: 'tidal_stall', title: { zh: '潮汐摊点', en: 'Tidal stall' } },
        { value: 'farmer_stall', title: { zh: '便民助农益站', en: 'Farmer stall' } },
      ],
    },
    { name: 'capacity', type: 'integer', title: { zh: '摊位数', en: 'Stalls' }, minimum: 0, maximum: 500 },
    { name: 'width_m', type: 'number', title: { zh: '宽度', en: 'Width' }, minimum: 0, maximum: 10 },
    { name: 'length_m', type: 'number', title: { zh: '长度', en: 'Length' }, derived: 'geometryLength' },
    { name: 'opens_at', type: 'time', title: { zh: '开放时间', en: 'Opens at' } },
    { name: 'reported_at', type: 'datetime', title: { zh: '发现时间', en: 'Reported at' } },
  ],
} as unknown as PublishedLayer;

const field = (name: string) => layer.fields.find((candidate) => candidate.name === name)!;

describe('the feature form', () => {
  it('leaves out fields the server derives', () => {
    expect(formFields(layer).map((candidate) => candidate.name)).not.toContain('length_m');
  });

  it('requires the legend field and nothing else', () => {
    expect(fieldError(layer, field('kind'), '', t)).toBe('Required');
    expect(fieldError(layer, field('name'), '', t)).toBeUndefined();
    expect(fieldError(layer, field('capacity'), '  ', t)).toBeUndefined();
  });

  it('takes only listed enum values', () => {
    expect(fieldError(layer, field('kind'), 'tidal_stall', t)).toBeUndefined();
    expect(fieldError(layer, field('kind'), 'night_market', t)).toBe('Choose a value from the list');
  });

  it('checks numbers, whole numbers and the registry range, edges included', () => {
    expect(fieldError(layer, field('capacity'), '0', t)).toBeUndefined();
    expect(fieldError(layer, field('capacity'), '500', t)).toBeUndefined();
    expect(fieldError(layer, field('capacity'), '501', t)).toBe('At most 500');
    expect(fieldError(layer, field('capacity'), '-1', t)).toBe('At least 0');
    expect(fieldError(layer, field('capacity'), '2.5', t)).toBe('Enter a whole number');
    expect(fieldError(layer, field('capacity'), 'twelve', t)).toBe('Enter a number');
    expect(fieldError(layer, field('width_m'), '9.5', t)).toBeUndefined();
    expect(fieldError(layer, field('width_m'), '10.5', t)).toBe('At most 10');
  });

  it('checks times of day as the server does (HH:MM, 24-hour)', () => {
    expect(fieldError(layer, field('opens_at'), '17:30', t)).toBeUndefined();
    expect(fieldError(layer, field('opens_at'), '24:00', t)).toBe('A time of day, HH:MM');
    expect(fieldError(layer, field('opens_at'), '7:30', t)).toBe('A time of day, HH:MM');
  });

  it('collects every error of a form, in Chinese too', () => {
    expect(formErrors(layer, { kind: '', capacity: '600' }, messages['zh-CN'])).toEqual({ kind: '必填', capacity: '不能大于 500' });
  });

  it('turns inputs into typed properties: empty left out when creating, null when editing', () => {
    const values = { name: ' 夜市 ', kind: 'tidal_stall', capacity: '40', width_m: '', opens_at: '17:00', reported_at: '' };
    expect(propertiesFromForm(layer, values, 'create')).toEqual({ name: '夜市', kind: 'tidal_stall', capacity: 40, opens_at: '17:00' });
    expect(propertiesFromForm(layer, values, 'edit')).toEqual({
      name: '夜市',
      kind: 'tidal_stall',
      capacity: 40,
      width_m: null,
      opens_at: '17:00',
      reported_at: null,
    });
  });

  it('round-trips a date-time through the local-time input', () => {
    const values = formValuesFromProperties(layer, { reported_at: '2026-10-01T08:00:00Z', capacity: 12, opens_at: '18:00' });
    expect(values.capacity).toBe('12');
    expect(values.opens_at).toBe('18:00');
    expect(values.reported_at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/);
    expect(propertiesFromForm(layer, values, 'create').reported_at).toBe('2026-10-01T08:00:00.000Z');
  });

  it('puts a 422 reason next to its field, geometry reasons apart', () => {
    expect(
      splitInvalidParams([
        { name: 'properties.width_m', reason: 'must be at most 10' },
        { name: 'geometry', reason: 'Self-intersection[117.0015 36.6615]' },
      ]),
    ).toEqual({ fields: { width_m: 'must be at most 10' }, other: ['Self-intersection[117.0015 36.6615]'] });
  });
});
