import { describe, expect, it } from 'vitest';
import type { AuditRecord } from './audit-record.js';
import { captureContent, captureModeFor } from './capture-content.js';
import { CSV_COLUMNS, csvRow, matchesQuery } from './export-audit.js';

const record: AuditRecord = {
  id: 'r1', seq: 1, prevHash: '0', hash: 'h', time: '2026-11-01T00:00:00.000Z', requestId: '=HYPERLINK("x")',
  inbound: 'openai-chat', status: 'ok', principal: { id: 'k', department: 'finance', roles: [] },
};

describe('audit export and capture', () => {
  it('neutralises spreadsheet formulas in CSV cells', () => {
    expect(csvRow(record).split(',').slice(0, 4)).toEqual(['1', 'r1', '2026-11-01T00:00:00.000Z', `"'=HYPERLINK(""x"")"`]);
  });

  it('fills the attempts column: upstream calls made, with the failed ones named', () => {
    const cells = (row: AuditRecord) => {
      const values = csvRow(row).split(',');
      return [values[CSV_COLUMNS.indexOf('attempts')], values[CSV_COLUMNS.indexOf('failed_attempts')]];
    };
    expect(cells({ ...record, deployment: 'onprem' })).toEqual(['1', '']);
    const failedOver = { ...record, deployment: 'azure', attempts: [{ deployment: 'openai', code: 'upstream_unavailable', reason: 'HTTP 503', status: 503 }] };
    expect(cells(failedOver)).toEqual(['2', 'openai:upstream_unavailable']);
    const allFailed = { ...record, status: 'error' as const, attempts: [{ deployment: 'a', code: 'upstream_timeout', reason: 't' }, { deployment: 'b', code: 'upstream_error', reason: 'e' }] };
    expect(cells(allFailed)).toEqual(['2', 'a:upstream_timeout;b:upstream_error']);
    expect(cells({ ...record, status: 'denied' })).toEqual(['0', '']);
  });

  it('filters on every query field', () => {
    expect(matchesQuery(record, { department: 'finance', from: '2026-11-01T00:00:00.000Z' })).toBe(true);
    expect(matchesQuery(record, { department: 'legal' })).toBe(false);
    expect(matchesQuery(record, { status: 'error' })).toBe(false);
  });

  it('keeps content according to the capture mode of the data class', () => {
    const content = { request: 'my id is A123456789', maskedRequest: 'my id is [TW_ID_1]', response: 'ok' };
    expect(captureContent('full', content)).toEqual({ mode: 'full', request: 'my id is A123456789', response: 'ok' });
    expect(captureContent('masked', content)).toEqual({ mode: 'masked', request: 'my id is [TW_ID_1]', response: 'ok' });
    expect(captureContent('hash', content)).toEqual({
      mode: 'hash',
      requestSha256: 'ecda402847434f980581c64d8e7c00303ed979f563fab8962473821e4bf2425a',
      responseSha256: '2689367b205c16ce32ed4200942b8b8b1e262dfc70d9bc9fbc77c49699a4f1df',
    });
    expect(captureContent('none', content)).toEqual({ mode: 'none' });
    expect(captureModeFor('restricted', { restricted: 'none' }, 'hash')).toBe('none');
    expect(captureModeFor('unknown', { restricted: 'none' }, 'hash')).toBe('hash');
  });
});
