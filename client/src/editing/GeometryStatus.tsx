import { useLanguage } from '../i18n/language.tsx';
import { formatMetres, type GeometryMeasures } from './geometry-checks.ts';

/** Live area or length of the shape, its self-intersection, and the server's geometry reasons. */
export function GeometryStatus({ measures, problems }: { measures: GeometryMeasures | undefined; problems: readonly string[] }) {
  const { language, t } = useLanguage();
  return (
    <div className="geometry-status" data-field="geometry">
      {measures?.areaSquareMetres !== undefined ? <span className="measure" data-measure="area">{t.area(formatMetres(measures.areaSquareMetres, language))}</span> : null}
      {measures?.lengthMetres !== undefined ? <span className="measure" data-measure="length">{t.length(formatMetres(measures.lengthMetres, language))}</span> : null}
      {measures?.selfIntersects ? (
        <span className="field-error" role="alert" data-problem="self-intersection">
          {t.selfIntersects}
        </span>
      ) : null}
      {problems.map((problem) => (
        <span key={problem} className="field-error" role="alert">
          {problem}
        </span>
      ))}
    </div>
  );
}
