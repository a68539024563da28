import { runDetectorConformance } from '../../../test/support/policy/detector-conformance.js';
import { ipAddressDetector, isValidIpv6 } from './ip-address.js';
import { describe, expect, it } from 'vitest';

runDetectorConformance({
  detector: ipAddressDetector,
  valid: [
    { text: 'Accepted publickey from 10.0.0.12 port 22', expected: ['10.0.0.12'] },
    { text: '允許 192.168.1.10:8443 連線', expected: ['192.168.1.10'] },
    { text: 'src_ip=203.0.113.9 dst=2001:db8::1', expected: ['203.0.113.9', '2001:db8::1'] },
    { text: '閘道 fe80::1ff:fe23:4567:890a 無回應', expected: ['fe80::1ff:fe23:4567:890a'] },
    { text: 'X-Forwarded-For: 198.51.100.7', expected: ['198.51.100.7'] },
    { text: '主機ＩＰ：１７２．１６．０．５', expected: ['１７２．１６．０．５'] },
  ],
  negatives: [
    'agent=v1.2.3.4 build 10.20.3.142',
    '請升級至 12.22.7.82 版本',
    'OID 1.3.6.1.4.1',
    '時間 12:38:28',
    'MAC 00:1a:2b:3c:4d:5e',
    '999.1.1.1 不是位址',
  ],
});

describe('isValidIpv6', () => {
  it('accepts compressed and full forms and rejects malformed ones', () => {
    expect(isValidIpv6('2001:db8::1')).toBe(true);
    expect(isValidIpv6('::1')).toBe(true);
    expect(isValidIpv6('2001:0db8:0000:0000:0000:ff00:0042:8329')).toBe(true);
    expect(isValidIpv6('2001::db8::1')).toBe(false);
    expect(isValidIpv6('12:38:28')).toBe(false);
    expect(isValidIpv6('12345::1')).toBe(false);
  });
});
