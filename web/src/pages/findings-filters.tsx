/** The findings filter bar: chips for the common GetFindings keys and a raw JSON editor for the rest. */
import { useEffect, useState } from 'preact/hooks';
import { severities } from '../components/charts';

/** An AwsSecurityFindingFilters object (GetFindings syntax). */
export type Filters = Record<string, { Value?: string; Comparison?: string }[] | unknown[]>;

type StringFilter = { Value: string; Comparison: string };

const workflowStatuses = ['NEW', 'NOTIFIED', 'RESOLVED', 'SUPPRESSED'] as const;
const recordStates = ['ACTIVE', 'ARCHIVED'] as const;

function valuesOf(filters: Filters, key: string): string[] {
  const list = (filters[key] ?? []) as StringFilter[];
  return list.filter((f) => f.Comparison === 'EQUALS').map((f) => f.Value);
}

function textOf(filters: Filters, key: string, comparison: string): string {
  const list = (filters[key] ?? []) as StringFilter[];
  return list.find((f) => f.Comparison === comparison)?.Value ?? '';
}

function withValues(filters: Filters, key: string, values: string[]): Filters {
  const next = { ...filters };
  const others = ((filters[key] ?? []) as StringFilter[]).filter((f) => f.Comparison !== 'EQUALS');
  const list = [...others, ...values.map((Value) => ({ Value, Comparison: 'EQUALS' }))];
  if (list.length === 0) delete next[key];
  else next[key] = list;
  return next;
}

function withText(filters: Filters, key: string, comparison: string, value: string): Filters {
  const next = { ...filters };
  const others = ((filters[key] ?? []) as StringFilter[]).filter((f) => f.Comparison !== comparison);
  const list = value.trim() === '' ? others : [...others, { Value: value.trim(), Comparison: comparison }];
  if (list.length === 0) delete next[key];
  else next[key] = list;
  return next;
}

function Chips({
  legend,
  name,
  options,
  filters,
  onChange,
}: {
  legend: string;
  name: string;
  options: readonly string[];
  filters: Filters;
  onChange: (filters: Filters) => void;
}) {
  const selected = valuesOf(filters, name);
  return (
    <fieldset class="chips">
      <legend>{legend}</legend>
      {options.map((option) => {
        const on = selected.includes(option);
        return (
          <button
            key={option}
            type="button"
            class={on ? 'chip on' : 'chip'}
            aria-pressed={on}
            onClick={() =>
              onChange(
                withValues(filters, name, on ? selected.filter((v) => v !== option) : [...selected, option]),
              )
            }
          >
            {option}
          </button>
        );
      })}
    </fieldset>
  );
}

function TextFilter({
  label,
  name,
  comparison,
  filters,
  onChange,
}: {
  label: string;
  name: string;
  comparison: string;
  filters: Filters;
  onChange: (filters: Filters) => void;
}) {
  const [value, setValue] = useState(textOf(filters, name, comparison));
  useEffect(() => setValue(textOf(filters, name, comparison)), [filters, name, comparison]);
  return (
    <label class="text-filter">
      {label}
      <input
        name={name}
        value={value}
        onInput={(event) => setValue((event.target as HTMLInputElement).value)}
        onChange={() => onChange(withText(filters, name, comparison, value))}
        onKeyDown={(event) => {
          if (event.key === 'Enter') onChange(withText(filters, name, comparison, value));
        }}
      />
    </label>
  );
}

/** The filter bar: chips, text boxes and the JSON editor all edit one Filters object. */
export function FilterBar({ filters, onChange }: { filters: Filters; onChange: (filters: Filters) => void }) {
  const [raw, setRaw] = useState(JSON.stringify(filters, null, 2));
  const [rawError, setRawError] = useState<string | undefined>();
  const [showRaw, setShowRaw] = useState(false);
  useEffect(() => setRaw(JSON.stringify(filters, null, 2)), [filters]);
  const applyRaw = () => {
    try {
      const parsed: unknown = JSON.parse(raw);
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
        throw new Error('the filter must be a JSON object (AwsSecurityFindingFilters)');
      }
      setRawError(undefined);
      onChange(parsed as Filters);
    } catch (error) {
      setRawError(error instanceof Error ? error.message : String(error));
    }
  };
  return (
    <form class="filter-bar" aria-label="Findings filter" onSubmit={(event) => event.preventDefault()}>
      <Chips
        legend="Severity"
        name="SeverityLabel"
        options={severities}
        filters={filters}
        onChange={onChange}
      />
      <Chips
        legend="Workflow"
        name="WorkflowStatus"
        options={workflowStatuses}
        filters={filters}
        onChange={onChange}
      />
      <Chips
        legend="Record state"
        name="RecordState"
        options={recordStates}
        filters={filters}
        onChange={onChange}
      />
      <div class="text-filters">
        <TextFilter
          label="Product name"
          name="ProductName"
          comparison="EQUALS"
          filters={filters}
          onChange={onChange}
        />
        <TextFilter
          label="Resource id"
          name="ResourceId"
          comparison="EQUALS"
          filters={filters}
          onChange={onChange}
        />
        <TextFilter
          label="Title contains"
          name="Title"
          comparison="CONTAINS"
          filters={filters}
          onChange={onChange}
        />
      </div>
      <div class="raw-toggle">
        <button type="button" aria-expanded={showRaw} onClick={() => setShowRaw(!showRaw)}>
          {showRaw ? 'Hide' : 'Edit'} the filter as JSON
        </button>
        <button type="button" onClick={() => onChange({})}>
          Clear filters
        </button>
      </div>
      {showRaw && (
        <div class="raw-filter">
          <label>
            Filters (GetFindings syntax)
            <textarea
              name="rawFilters"
              rows={8}
              value={raw}
              onInput={(e) => setRaw((e.target as HTMLTextAreaElement).value)}
            />
          </label>
          {rawError !== undefined && (
            <div class="alert alert-error" role="alert">
              {rawError}
            </div>
          )}
          <button type="button" onClick={applyRaw}>
            Apply JSON filter
          </button>
        </div>
      )}
    </form>
  );
}
