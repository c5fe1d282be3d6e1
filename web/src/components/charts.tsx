/** Hand-drawn SVG charts (no chart library): a score gauge and a stacked severity trend. Colours come from CSS. */

const severities = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'INFORMATIONAL'] as const;
export type SeverityName = (typeof severities)[number];
export { severities };

/** A half-circle gauge for a 0–100 score (null: no data yet). */
export function Gauge({ score, label }: { score: number | null | undefined; label: string }) {
  const radius = 40;
  const length = Math.PI * radius;
  const value = score ?? 0;
  const filled = (Math.max(0, Math.min(100, value)) / 100) * length;
  const tone =
    score === null || score === undefined ? 'none' : value >= 80 ? 'good' : value >= 50 ? 'fair' : 'poor';
  const text = score === null || score === undefined ? 'No data' : `${value}%`;
  return (
    <figure class="gauge">
      <svg viewBox="0 0 100 60" role="img" aria-label={`${label}: ${text}`}>
        <path class="gauge-track" d="M10 50 A40 40 0 0 1 90 50" />
        <path
          class={`gauge-value gauge-${tone}`}
          d="M10 50 A40 40 0 0 1 90 50"
          stroke-dasharray={`${filled} ${length}`}
        />
        <text x="50" y="48" text-anchor="middle" class="gauge-text">
          {text}
        </text>
      </svg>
      <figcaption>{label}</figcaption>
    </figure>
  );
}

/** One day of the trend. */
export type TrendDay = { Date: string } & Record<SeverityName, number>;

/** A stacked bar chart of ACTIVE findings per day by severity, with a table for screen readers. */
export function TrendChart({ days }: { days: readonly TrendDay[] }) {
  const width = 900;
  const height = 120;
  const max = Math.max(1, ...days.map((day) => severities.reduce((sum, s) => sum + (day[s] ?? 0), 0)));
  const barWidth = width / Math.max(1, days.length);
  return (
    <div class="trend">
      <svg
        viewBox={`0 0 ${width} ${height + 16}`}
        role="img"
        aria-label="ACTIVE findings per day, last 30 days"
      >
        {days.map((day, index) => {
          let y = height;
          return (
            <g key={day.Date}>
              <title>
                {day.Date}: {severities.map((s) => `${s} ${day[s] ?? 0}`).join(', ')}
              </title>
              {severities.map((s) => {
                const h = ((day[s] ?? 0) / max) * (height - 4);
                y -= h;
                return h > 0 ? (
                  <rect
                    key={s}
                    class={`fill-${s.toLowerCase()}`}
                    x={index * barWidth + 1}
                    y={y}
                    width={barWidth - 2}
                    height={h}
                  />
                ) : null;
              })}
            </g>
          );
        })}
        <text x="0" y={height + 14} class="axis">
          {days[0]?.Date ?? ''}
        </text>
        <text x={width} y={height + 14} class="axis" text-anchor="end">
          {days[days.length - 1]?.Date ?? ''}
        </text>
      </svg>
      <ul class="legend">
        {severities.map((s) => (
          <li key={s}>
            <span class={`swatch fill-${s.toLowerCase()}`} aria-hidden="true" />
            {s}
          </li>
        ))}
      </ul>
    </div>
  );
}

/** A horizontal proportion bar with a text figure. */
export function Meter({ value, total, label }: { value: number; total: number; label: string }) {
  const ratio = total === 0 ? 0 : value / total;
  return (
    <div class="meter-row">
      <span class="meter-label">{label}</span>
      <svg class="meter" viewBox="0 0 100 8" preserveAspectRatio="none" aria-hidden="true">
        <rect class="meter-track" x="0" y="0" width="100" height="8" />
        <rect class="meter-fill" x="0" y="0" width={ratio * 100} height="8" />
      </svg>
      <span class="meter-figure" data-figure={label}>
        {value}
      </span>
    </div>
  );
}
