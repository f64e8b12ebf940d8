import type { LegendEntry } from '../layers/legend.ts';

function Swatch({ entry }: { entry: LegendEntry }) {
  return (
    <span
      className={`swatch swatch-${entry.shape}${entry.muted ? ' is-muted' : ''}`}
      style={{ ['--swatch-color' as string]: entry.color }}
      aria-hidden="true"
    />
  );
}

export function Legend({ entries }: { entries: LegendEntry[] }) {
  return (
    <ul className="legend">
      {entries.map((entry) => (
        <li key={entry.key} title={entry.label}>
          <Swatch entry={entry} />
          <span>{entry.label}</span>
        </li>
      ))}
    </ul>
  );
}

export function SingleSwatch({ entry }: { entry: LegendEntry }) {
  return <Swatch entry={entry} />;
}
