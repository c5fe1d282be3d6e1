import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatTable, paginateFindings, tableRow, type FindingsPageRequest } from './findings-list.js';

function pagedServer(total: number): {
  fetch: (r: FindingsPageRequest) => Promise<{ Findings: Record<string, unknown>[]; NextToken?: string }>;
  requests: FindingsPageRequest[];
} {
  const requests: FindingsPageRequest[] = [];
  return {
    requests,
    fetch: (request) => {
      requests.push(request);
      const from = request.NextToken === undefined ? 0 : Number(request.NextToken);
      const to = Math.min(total, from + request.MaxResults);
      const Findings = Array.from({ length: to - from }, (_, i) => ({ Id: `f${from + i}` }));
      return Promise.resolve(to < total ? { Findings, NextToken: String(to) } : { Findings });
    },
  };
}

async function all(iterable: AsyncIterable<Record<string, unknown>>): Promise<unknown[]> {
  const out: unknown[] = [];
  for await (const finding of iterable) out.push(finding['Id']);
  return out;
}

describe('paginateFindings', () => {
  it('follows NextToken to the end, 100 per page', async () => {
    const server = pagedServer(250);
    const ids = await all(paginateFindings(server.fetch, { Filters: {} }, undefined));
    assert.equal(ids.length, 250);
    assert.deepEqual(
      server.requests.map((r) => [r.MaxResults, r.NextToken]),
      [
        [100, undefined],
        [100, '100'],
        [100, '200'],
      ],
    );
  });

  it('stops at --max, asking only for what it needs, and says more remained', async () => {
    const server = pagedServer(250);
    let truncated = false;
    const ids = await all(paginateFindings(server.fetch, { Filters: {} }, 130, () => (truncated = true)));
    assert.equal(ids.length, 130);
    assert.deepEqual(
      server.requests.map((r) => r.MaxResults),
      [100, 30],
    );
    assert.equal(truncated, true);
  });

  it('does not flag truncation when --max is exactly the total', async () => {
    let truncated = false;
    await all(paginateFindings(pagedServer(100).fetch, { Filters: {} }, 100, () => (truncated = true)));
    assert.equal(truncated, false);
  });

  it('passes filters and sort through', async () => {
    const server = pagedServer(1);
    const Filters = { SeverityLabel: [{ Value: 'HIGH', Comparison: 'EQUALS' as const }] };
    await all(
      paginateFindings(
        server.fetch,
        { Filters, SortCriteria: [{ Field: 'Title', SortOrder: 'asc' }] },
        undefined,
      ),
    );
    assert.deepEqual(server.requests[0], {
      Filters,
      SortCriteria: [{ Field: 'Title', SortOrder: 'asc' }],
      MaxResults: 100,
    });
  });
});

const finding = {
  Severity: { Label: 'CRITICAL' },
  Workflow: { Status: 'NEW' },
  RecordState: 'ACTIVE',
  ProductName: 'Trivy',
  Title: 'Trivy found a vulnerability to CVE-2021-36159 in container alpine:3.10 (alpine 3.10.9)',
  Resources: [
    { Id: 'arn:aws:ec2:us-east-1:123456789012:instance/i-0123456789abcdef0-with-a-long-tail' },
    { Id: 'x' },
  ],
  UpdatedAt: '2022-08-10T22:29:18.549938-07:00',
};

describe('table output', () => {
  it('shows the seven columns of a finding', () => {
    assert.deepEqual(tableRow(finding), [
      'CRITICAL',
      'NEW',
      'ACTIVE',
      'Trivy',
      finding.Title,
      'arn:aws:ec2:us-east-1:123456789012:instance/i-0123456789abcdef0-with-a-long-tail (+1)',
      '2022-08-11T05:29:18Z',
    ]);
  });

  it('truncates the title to the terminal width and keeps the end of long resource ids', () => {
    const table = formatTable([finding], 100);
    const [header, row] = table.trimEnd().split('\n');
    assert.match(header ?? '', /^Severity {2}Workflow {2}Record {2}Product {2}Title +Resource +UpdatedAt$/);
    assert.ok((row ?? '').length <= 100, `row is ${(row ?? '').length} wide`);
    assert.match(row ?? '', / {2}Trivy found a.*… {2}/);
    assert.match(row ?? '', /…[^ ]*tail \(\+1\)/);
    assert.match(row ?? '', /2022-08-11T05:29:18Z$/);
  });

  it('keeps whole titles when the width is unbounded (piped output)', () => {
    assert.ok(formatTable([finding], Number.POSITIVE_INFINITY).includes(finding.Title));
  });
});
