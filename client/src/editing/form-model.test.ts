import { describe, expect, it } from 'vitest';
import type { PublishedLayer } from '../api/client.ts';
import { messages } from '../i18n/messages.ts';
import { findLayer } from '../../../server/src/registry/layers.ts';
import { defaultFormValues, fieldError, formErrors, formFields, formValuesFromProperties, propertiesFromForm, splitInvalidParams } from './form-model.ts';

const t = messages.en;

/** The registry's own layers: the form must follow exactly the rules the server applies. */
const vendorZones = findLayer('vendor_zones')! as unknown as PublishedLayer;
const alleys = findLayer('alleys')! as unknown as PublishedLayer;
const cases = findLayer('cases')! as unknown as PublishedLayer;

/** A small layer built here, for the conversions of every field type. */
const layer = {
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
    { name: 'width_m', type: 'number', title: { zh: '宽度', en: 'Width' }, optional: true },
    { name: 'length_m', type: 'number', title: { zh: '长度', en: 'Length' }, derived: 'geometryLength' },
    { name: 'opens_at', type: 'time', title: { zh: '开放时间', en: 'Opens at' } },
    { name: 'reported_at', type: 'datetime', title: { zh: '发现时间', en: 'Reported at' }, optional: true },
  ],
} as unknown as PublishedLayer;

const field = (source: PublishedLayer, name: string) => source.fields.find((candidate) => candidate.name === name)!;

describe('the feature form', () => {
  it('leaves out fields the server derives', () => {
    expect(formFields(layer).map((candidate) => candidate.name)).not.toContain('length_m');
  });

  it('requires what the registry does not mark optional, and starts new forms from the defaults', () => {
    expect(fieldError(field(vendorZones, 'kind'), '', t)).toBe('Required');
    expect(fieldError(field(vendorZones, 'name'), ' ', t)).toBe('Required');
    expect(fieldError(field(cases, 'grid_code'), '', t)).toBeUndefined();
    expect(defaultFormValues(vendorZones)).toMatchObject({ permit: 'active', name: '', kind: '' });
    expect(defaultFormValues(alleys)).toMatchObject({ renovation: 'surveyed', problems: '' });
  });

  it('takes only listed enum values', () => {
    expect(fieldError(field(vendorZones, 'kind'), 'tidal_stall', t)).toBeUndefined();
    expect(fieldError(field(vendorZones, 'kind'), 'night_market', t)).toBe('Choose a value from the list');
  });

  it('checks numbers, whole numbers and the registry range, edges included', () => {
    const capacity = field(vendorZones, 'capacity');
    expect(fieldError(capacity, '0', t)).toBeUndefined();
    expect(fieldError(capacity, '500', t)).toBeUndefined();
    expect(fieldError(capacity, '501', t)).toBe('At most 500');
    expect(fieldError(capacity, '-1', t)).toBe('At least 0');
    expect(fieldError(capacity, '2.5', t)).toBe('Enter a whole number');
    expect(fieldError(capacity, 'twelve', t)).toBe('Enter a number');
    // An alley is under 10 m wide and has some width: both bounds are strict.
    const width = field(alleys, 'width_m');
    expect(fieldError(width, '9.5', t)).toBeUndefined();
    expect(fieldError(width, '10', t)).toBe('Less than 10');
    expect(fieldError(width, '0', t)).toBe('More than 0');
  });

  it('checks times of day as the server does (HH:MM, 24-hour)', () => {
    const opensAt = field(vendorZones, 'opens_at');
    expect(fieldError(opensAt, '17:30', t)).toBeUndefined();
    expect(fieldError(opensAt, '24:00', t)).toBe('A time of day, HH:MM');
    expect(fieldError(opensAt, '7:30', t)).toBe('A time of day, HH:MM');
  });

  it('collects every error of a form, in Chinese too', () => {
    const values = { ...defaultFormValues(vendorZones), name: '夜市', opens_at: '17:00', closes_at: '22:00', district: 'lixia', capacity: '600' };
    expect(formErrors(vendorZones, values, messages['zh-CN'])).toEqual({ kind: '必填', capacity: '不能大于 500' });
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
