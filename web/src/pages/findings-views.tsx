/** Saved views are Security Hub insights: the current filter plus a group-by attribute, with the insight's counts. */
import { useState } from 'preact/hooks';
import { securityhub } from '../api';
import { ActionButton, ErrorAlert, Show, useAllowed, useLoad } from '../components/ui';
import type { Filters } from './findings-filters';

interface Insight {
  InsightArn: string;
  Name: string;
  Filters: Filters;
  GroupByAttribute: string;
}

interface InsightResults {
  InsightResults: {
    GroupByAttribute: string;
    ResultValues: { GroupByAttributeValue: string; Count: number }[];
  };
}

const groupByAttributes = [
  'SeverityLabel',
  'ResourceId',
  'ProductName',
  'WorkflowStatus',
  'ComplianceStatus',
  'ResourceType',
  'AwsAccountId',
  'Type',
] as const;

function Counts({ insight, onPick }: { insight: Insight; onPick: (value: string) => void }) {
  const state = useLoad(
    () => securityhub<InsightResults>('GET', `/insights/results/${encodeURIComponent(insight.InsightArn)}`),
    [insight.InsightArn],
  );
  return (
    <Show state={state}>
      {(answer) => (
        <table class="group-counts">
          <caption>
            {insight.Name}: findings grouped by {answer.InsightResults.GroupByAttribute}
          </caption>
          <thead>
            <tr>
              <th scope="col">{answer.InsightResults.GroupByAttribute}</th>
              <th scope="col">Count</th>
            </tr>
          </thead>
          <tbody>
            {answer.InsightResults.ResultValues.map((row) => (
              <tr key={row.GroupByAttributeValue}>
                <td class="wrap">
                  <button type="button" class="link" onClick={() => onPick(row.GroupByAttributeValue)}>
                    {row.GroupByAttributeValue}
                  </button>
                </td>
                <td class="num">{row.Count}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Show>
  );
}

/** The saved views picker, the group-by counts of the chosen one, and "save this filter as a view". */
export function SavedViews({ filters, onApply }: { filters: Filters; onApply: (filters: Filters) => void }) {
  const allowed = useAllowed(['securityhub:CreateInsight']);
  const list = useLoad(
    () => securityhub<{ Insights: Insight[] }>('POST', '/insights/get', { MaxResults: 100 }),
    [],
  );
  const [chosen, setChosen] = useState<Insight | undefined>();
  const [name, setName] = useState('');
  const [groupBy, setGroupBy] = useState<string>('SeverityLabel');
  const [error, setError] = useState<unknown>();
  const save = async () => {
    setError(undefined);
    try {
      const { InsightArn } = await securityhub<{ InsightArn: string }>('POST', '/insights', {
        Name: name.trim(),
        Filters: filters,
        GroupByAttribute: groupBy,
      });
      setName('');
      setChosen({ InsightArn, Name: name.trim(), Filters: filters, GroupByAttribute: groupBy });
      list.reload();
    } catch (reason) {
      setError(reason);
    }
  };
  const pick = (arn: string) => {
    const insight = list.data?.Insights.find((i) => i.InsightArn === arn);
    setChosen(insight);
    if (insight !== undefined) onApply(insight.Filters);
  };
  return (
    <details class="views">
      <summary>Saved views and group-by counts</summary>
      <div class="views-body">
        <Show state={list}>
          {(answer) => (
            <label>
              Saved view
              <select
                name="savedView"
                value={chosen?.InsightArn ?? ''}
                onChange={(e) => pick((e.target as HTMLSelectElement).value)}
              >
                <option value="">(none)</option>
                {answer.Insights.map((insight) => (
                  <option key={insight.InsightArn} value={insight.InsightArn}>
                    {insight.Name} (by {insight.GroupByAttribute})
                  </option>
                ))}
              </select>
            </label>
          )}
        </Show>
        <div class="save-view">
          <label>
            Group by
            <select
              name="groupBy"
              value={groupBy}
              onChange={(e) => setGroupBy((e.target as HTMLSelectElement).value)}
            >
              {groupByAttributes.map((attribute) => (
                <option key={attribute} value={attribute}>
                  {attribute}
                </option>
              ))}
            </select>
          </label>
          <label>
            View name
            <input
              name="viewName"
              value={name}
              maxLength={128}
              onInput={(e) => setName((e.target as HTMLInputElement).value)}
            />
          </label>
          <ActionButton
            allowed={allowed?.['securityhub:CreateInsight']}
            what="save views (securityhub:CreateInsight)"
            disabled={name.trim() === ''}
            onClick={() => void save()}
          >
            Save the current filter as a view
          </ActionButton>
        </div>
        <ErrorAlert error={error} />
        {chosen !== undefined && (
          <Counts
            insight={chosen}
            onPick={(value) =>
              onApply({
                ...chosen.Filters,
                [chosen.GroupByAttribute]: [{ Value: value, Comparison: 'EQUALS' }],
              })
            }
          />
        )}
      </div>
    </details>
  );
}
