/** Findings: filter bar, saved views (insights) with group-by counts, a sortable paged table, bulk workflow. */
import { useMemo, useState } from 'preact/hooks';
import { useSearch } from 'wouter-preact';
import { securityhub } from '../api';
import {
  ActionButton,
  Alert,
  Empty,
  ErrorAlert,
  PageHeader,
  Pager,
  Severity,
  Show,
  Status,
  useAllowed,
  useLoad,
  usePager,
  When,
} from '../components/ui';
import { FilterBar, type Filters } from './findings-filters';
import { FindingDrawer, type Finding } from './finding-drawer';
import { SavedViews } from './findings-views';

const pageSize = 50;

/** The table's columns; `sort` is the GetFindings SortCriteria field (Resource has none). */
const columns = [
  { sort: 'SeverityLabel', label: 'Severity' },
  { sort: 'Title', label: 'Title' },
  { sort: undefined, label: 'Resource' },
  { sort: 'ProductName', label: 'Product' },
  { sort: 'WorkflowStatus', label: 'Workflow' },
  { sort: 'UpdatedAt', label: 'Updated' },
] as const;

const defaultFilters: Filters = {
  RecordState: [{ Value: 'ACTIVE', Comparison: 'EQUALS' }],
  WorkflowStatus: [
    { Value: 'NEW', Comparison: 'EQUALS' },
    { Value: 'NOTIFIED', Comparison: 'EQUALS' },
  ],
};

function initialFilters(search: string): Filters {
  const text = new URLSearchParams(search).get('filters');
  if (text === null) return defaultFilters;
  try {
    return JSON.parse(text) as Filters;
  } catch {
    return defaultFilters;
  }
}

interface Sort {
  Field: string;
  SortOrder: 'asc' | 'desc';
}

function BulkBar({ selected, onDone }: { selected: Finding[]; onDone: (message: string) => void }) {
  const allowed = useAllowed(['securityhub:BatchUpdateFindings']);
  const [status, setStatus] = useState('RESOLVED');
  const [note, setNote] = useState('');
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const apply = async () => {
    setBusy(true);
    setError(undefined);
    try {
      const body: Record<string, unknown> = {
        FindingIdentifiers: selected.map((f) => ({ Id: f.Id, ProductArn: f.ProductArn })),
        Workflow: { Status: status },
      };
      if (note.trim() !== '') body['Note'] = { Text: note.trim(), UpdatedBy: 'console' };
      const answer = await securityhub<{
        ProcessedFindings: unknown[];
        UnprocessedFindings: { ErrorMessage?: string }[];
      }>('PATCH', '/findings/batchupdate', body);
      const failed = answer.UnprocessedFindings.length;
      setNote('');
      onDone(
        `${answer.ProcessedFindings.length} finding(s) set to ${status}` +
          (failed > 0
            ? `; ${failed} not updated: ${answer.UnprocessedFindings[0]?.ErrorMessage ?? ''}`
            : '.'),
      );
    } catch (reason) {
      setError(reason);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div class="bulk" role="region" aria-label="Bulk workflow change">
      <span>{selected.length} selected</span>
      <label>
        Set workflow to
        <select
          name="workflowStatus"
          value={status}
          onChange={(e) => setStatus((e.target as HTMLSelectElement).value)}
        >
          <option value="NOTIFIED">NOTIFIED</option>
          <option value="SUPPRESSED">SUPPRESSED</option>
          <option value="RESOLVED">RESOLVED</option>
        </select>
      </label>
      <label class="grow">
        Note
        <input
          name="note"
          value={note}
          maxLength={512}
          onInput={(e) => setNote((e.target as HTMLInputElement).value)}
        />
      </label>
      <ActionButton
        class="primary"
        allowed={allowed?.['securityhub:BatchUpdateFindings']}
        what="change findings (securityhub:BatchUpdateFindings)"
        disabled={busy || selected.length === 0}
        onClick={() => void apply()}
      >
        Apply
      </ActionButton>
      <ErrorAlert error={error} />
    </div>
  );
}

/** The findings page. */
export function FindingsPage() {
  const search = useSearch();
  const [filters, setFilters] = useState<Filters>(() => initialFilters(search));
  const [sort, setSort] = useState<Sort>({ Field: 'SeverityLabel', SortOrder: 'desc' });
  const [selected, setSelected] = useState<Map<string, Finding>>(new Map());
  const [open, setOpen] = useState<Finding | undefined>();
  const [notice, setNotice] = useState<string | undefined>();
  const key = JSON.stringify([filters, sort]);
  const pager = usePager(key);
  const state = useLoad(
    () =>
      securityhub<{ Findings: Finding[]; NextToken?: string }>('POST', '/findings', {
        Filters: filters,
        SortCriteria: [sort],
        MaxResults: pageSize,
        ...(pager.token === undefined ? {} : { NextToken: pager.token }),
      }),
    [key, pager.token],
  );
  const changeFilters = (next: Filters) => {
    setSelected(new Map());
    setFilters(next);
  };
  const toggleSort = (field: string) =>
    setSort((current) =>
      current.Field === field
        ? { Field: field, SortOrder: current.SortOrder === 'asc' ? 'desc' : 'asc' }
        : { Field: field, SortOrder: 'desc' },
    );
  const selectedList = useMemo(() => [...selected.values()], [selected]);

  return (
    <>
      <PageHeader title="Findings" />
      <FilterBar filters={filters} onChange={changeFilters} />
      <SavedViews filters={filters} onApply={changeFilters} />
      {notice !== undefined && <Alert kind="ok">{notice}</Alert>}
      {selected.size > 0 && (
        <BulkBar
          selected={selectedList}
          onDone={(message) => {
            setNotice(message);
            setSelected(new Map());
            state.reload();
          }}
        />
      )}
      <Show state={state}>
        {(page) =>
          page.Findings.length === 0 && pager.page === 1 ? (
            <Empty title="No findings match">
              {Object.keys(filters).length > 0 ? 'Clear or change the filters, or ' : ''}import findings with
              Security Hub's BatchImportFindings or <code>bulwark findings import</code>.
            </Empty>
          ) : (
            <>
              <div class="table-wrap">
                <table class="findings">
                  <caption class="sr-only">Findings, page {pager.page}</caption>
                  <thead>
                    <tr>
                      <th scope="col">
                        <input
                          type="checkbox"
                          aria-label="Select every finding on this page"
                          checked={page.Findings.length > 0 && page.Findings.every((f) => selected.has(f.Id))}
                          onChange={(e) => {
                            const on = (e.target as HTMLInputElement).checked;
                            const next = new Map(selected);
                            for (const f of page.Findings) {
                              if (on) next.set(f.Id, f);
                              else next.delete(f.Id);
                            }
                            setSelected(next);
                          }}
                        />
                      </th>
                      {columns.map((column) =>
                        column.sort === undefined ? (
                          <th key={column.label} scope="col">
                            {column.label}
                          </th>
                        ) : (
                          <th
                            key={column.label}
                            scope="col"
                            aria-sort={
                              sort.Field !== column.sort
                                ? 'none'
                                : sort.SortOrder === 'asc'
                                  ? 'ascending'
                                  : 'descending'
                            }
                          >
                            <button type="button" class="sort" onClick={() => toggleSort(column.sort)}>
                              {column.label}
                              <span aria-hidden="true">
                                {sort.Field === column.sort ? (sort.SortOrder === 'asc' ? ' ▲' : ' ▼') : ''}
                              </span>
                            </button>
                          </th>
                        ),
                      )}
                    </tr>
                  </thead>
                  <tbody>
                    {page.Findings.map((finding) => (
                      <tr key={finding.Id} data-finding-id={finding.Id}>
                        <td>
                          <input
                            type="checkbox"
                            aria-label={`Select ${finding.Title}`}
                            checked={selected.has(finding.Id)}
                            onChange={(e) => {
                              const next = new Map(selected);
                              if ((e.target as HTMLInputElement).checked) next.set(finding.Id, finding);
                              else next.delete(finding.Id);
                              setSelected(next);
                            }}
                          />
                        </td>
                        <td>
                          <Severity label={finding.Severity?.Label} />
                        </td>
                        <td>
                          <button type="button" class="link" onClick={() => setOpen(finding)}>
                            {finding.Title}
                          </button>
                        </td>
                        <td class="wrap">{finding.Resources?.[0]?.Id ?? ''}</td>
                        <td>{finding.ProductName ?? ''}</td>
                        <td>
                          <Status value={finding.Workflow?.Status} />
                        </td>
                        <td>
                          <When value={finding.UpdatedAt} />
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
              <Pager pager={pager} nextToken={page.NextToken} label="Findings" />
            </>
          )
        }
      </Show>
      {open !== undefined && <FindingDrawer finding={open} onClose={() => setOpen(undefined)} />}
    </>
  );
}
