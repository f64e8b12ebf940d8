import type { FieldDefinition, PublishedLayer } from '../api/client.ts';
import { localized, useLanguage } from '../i18n/language.tsx';
import { formFields, isRequired, type FieldErrors, type FormValues } from './form-model.ts';

interface FeatureFormProps {
  layer: PublishedLayer;
  values: FormValues;
  errors: FieldErrors;
  onChange: (name: string, value: string) => void;
}

const inputTypes: Partial<Record<FieldDefinition['type'], string>> = {
  number: 'number',
  integer: 'number',
  date: 'date',
  datetime: 'datetime-local',
  time: 'time',
};

function FieldInput({ field, value, invalid, onChange }: { field: FieldDefinition; value: string; invalid: boolean; onChange: (value: string) => void }) {
  const { language } = useLanguage();
  const id = `field-${field.name}`;
  const common = { id, name: field.name, 'aria-invalid': invalid, 'aria-describedby': invalid ? `${id}-error` : undefined };
  if (field.values) {
    return (
      <select {...common} value={value} onChange={(event) => onChange(event.target.value)}>
        <option value="">—</option>
        {field.values.map((option) => (
          <option key={option.value} value={option.value}>
            {localized(option.title, language)}
          </option>
        ))}
      </select>
    );
  }
  if (field.type === 'boolean') {
    return (
      <select {...common} value={value} onChange={(event) => onChange(event.target.value)}>
        <option value="">—</option>
        <option value="true">✓</option>
        <option value="false">✗</option>
      </select>
    );
  }
  return (
    <input
      {...common}
      type={inputTypes[field.type] ?? 'text'}
      value={value}
      min={field.minimum}
      max={field.maximum}
      step={field.type === 'integer' ? 1 : field.type === 'number' ? 'any' : undefined}
      maxLength={field.type === 'string' ? 500 : undefined}
      onChange={(event) => onChange(event.target.value)}
    />
  );
}

/** A form generated from the layer's registry fields; derived fields are the server's to fill. */
export function FeatureForm({ layer, values, errors, onChange }: FeatureFormProps) {
  const { language } = useLanguage();
  return (
    <div className="feature-form">
      {formFields(layer).map((field) => {
        const error = errors[field.name];
        return (
          <div key={field.name} className={`form-row${error ? ' has-error' : ''}`} data-field={field.name}>
            <label htmlFor={`field-${field.name}`}>
              {localized(field.title, language)}
              {isRequired(field) ? <span className="required-mark"> *</span> : null}
            </label>
            <FieldInput field={field} value={values[field.name] ?? ''} invalid={Boolean(error)} onChange={(value) => onChange(field.name, value)} />
            {error ? (
              <span className="field-error" id={`field-${field.name}-error`} role="alert">
                {error}
              </span>
            ) : null}
          </div>
        );
      })}
    </div>
  );
}
