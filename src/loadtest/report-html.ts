import { escapeXml } from '../advisor/svg-kit.js';
import { costChart, latencyChart } from './report-charts.js';
import type { LoadtestReport, ScenarioReport } from './report-schema.js';

type Language = 'en' | 'zh-TW';
type Text = Record<Language, string>;
const t = (en: string, zh: string): Text => ({ en, 'zh-TW': zh });

const TEXT = {
  title: t('Load, fault and cost test', '負載、故障與成本測試'),
  subtitle: t('switchyard loadtest — SOP step 6: normal, peak and faults, with a monthly cost projection.', 'switchyard loadtest — SOP 第 6 步：常態、尖峰與故障，並推估每月成本。'),
  overview: t('Overview', '總覽'),
  scenario: t('Scenario', '情境'),
  calls: t('Calls', '呼叫數'),
  throughput: t('Calls/s', '每秒呼叫'),
  p50: t('p50 ms', 'p50 毫秒'),
  p95: t('p95 ms', 'p95 毫秒'),
  p99: t('p99 ms', 'p99 毫秒'),
  ttft: t('TTFT p95 ms', '首字 p95 毫秒'),
  errors: t('Errors', '錯誤率'),
  timeouts: t('Timeouts', '逾時率'),
  retries: t('Retries', '重試率'),
  fallback: t('Fallback', '備援比例'),
  slo: t('SLO', 'SLO'),
  pass: t('pass', '通過'),
  fail: t('FAIL', '未通過'),
  latency: t('Latency over time', '延遲隨時間變化'),
  latencyCaption: t('p95 (solid) and p50 (dashed) latency of successful calls per second since each scenario started; red ticks mark seconds with errors.', '各情境開始後每秒成功呼叫的 p95（實線）與 p50（虛線）延遲；紅色刻度表示該秒有錯誤。'),
  resilience: t('Retries, failover, circuit breaker, retry budget', '重試、容錯切換、斷路器與重試預算'),
  attempts: t('Attempts per call', '每次呼叫的嘗試次數'),
  servedBy: t('Served by', '服務部署'),
  skips: t('Circuit skips', '斷路器略過'),
  excluded: t('Primary left out (circuit open / unhealthy)', '主要部署被排除（斷路器開啟／不健康）'),
  budget: t('Retry budget refusals', '重試預算拒絕'),
  faults: t('Injected faults', '注入的故障'),
  tokens: t('Tokens', 'Token'),
  input: t('Input', '輸入'),
  output: t('Output', '輸出'),
  retryExtra: t('Extra input from retries', '重試額外輸入'),
  chainExtra: t('Chain / tool follow-up in + out', '串接／工具後續 輸入＋輸出'),
  mix: t('Measured mix', '實測組成'),
  cost: t('Monthly cost projection', '每月成本推估'),
  costCaption: t('API stacked by base and its four drivers (long context, chains, retries, peak); private cloud fixed + variable; on-prem sized for the measured peak. Formulas: docs/advisor.md.', 'API 依基本與四項成本驅動因素（長上下文、串接、重試、尖峰）堆疊；私有雲為固定＋變動；地端依實測尖峰配置。公式見 docs/advisor.md。'),
  peak: t('Peak factor', '尖峰倍數'),
  gpus: t('On-prem GPUs for the peak', '尖峰所需地端 GPU'),
  inputs: t('Cost inputs and their source', '成本輸入與來源'),
  advisor: t('Feed the advisor', '提供給部署顧問'),
  advisorText: t('Run `switchyard advise --answers answers.yaml --traffic-from REPORT.json` to use this measured mix and peak factor in the deployment advice.', '執行 `switchyard advise --answers answers.yaml --traffic-from REPORT.json`，即可在部署建議中使用此實測組成與尖峰倍數。'),
  none: t('none', '無'),
  fault: t('Fault', '故障'),
  window: t('Window', '時段'),
  injected: t('Injected', '已注入'),
  yes: t('yes', '是'),
  no: t('no', '否'),
  errorsCount: t('Errors', '錯誤'),
  retriedCount: t('Retried', '重試'),
  fallbacksCount: t('Served by fallback', '由備援服務'),
  check: t('Check', '檢查項目'),
  threshold: t('Threshold', '門檻'),
  actual: t('Actual', '實測'),
  result: t('Result', '結果'),
  base: t('base', '基本'),
  longContext: t('long context', '長上下文'),
  chains: t('chains', '多步串接'),
  retryCost: t('retries', '重試'),
  peakCost: t('peak', '尖峰'),
  cloud: t('private cloud (fixed + variable)', '私有雲（固定＋變動）'),
  onPrem: t('on-prem', '地端'),
  key: t('Input', '輸入項'),
  value: t('Value', '數值'),
  source: t('Source', '來源'),
} satisfies Record<string, Text>;

const STYLE = `
* { box-sizing: border-box; }
body { font-family: system-ui, -apple-system, "Segoe UI", "Noto Sans TC", "Noto Sans CJK TC", "PingFang TC", "Microsoft JhengHei", sans-serif;
  color: #222; margin: 0 auto; max-width: 980px; padding: 24px; line-height: 1.45; font-size: 14px; }
h1 { font-size: 24px; margin: 0 0 4px; }
h2 { font-size: 18px; border-bottom: 2px solid #1f6feb; padding-bottom: 4px; margin-top: 28px; }
h3 { font-size: 15px; margin: 16px 0 4px; }
.subtitle { color: #555; margin-top: 0; }
table { border-collapse: collapse; width: 100%; margin: 8px 0 12px; font-size: 12px; }
th, td { border: 1px solid #d0d0d0; padding: 4px 6px; text-align: left; vertical-align: top; }
th { background: #f2f5fa; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.pass { color: #15803d; font-weight: 600; }
.fail { color: #b91c1c; font-weight: 600; }
figure { margin: 8px 0 16px; }
figcaption { font-size: 12px; color: #555; }
svg.chart { max-width: 100%; height: auto; display: block; }
@page { size: A4; margin: 14mm 12mm; }
@media print { body { max-width: none; padding: 0; font-size: 10.5pt; } table, figure, tr { break-inside: avoid; } }
`;

const e = (value: string | number): string => escapeXml(String(value));
const code = (value: string): string => e(value).replace(/`([^`]+)`/g, '<code>$1</code>');
const pct = (value: number): string => `${(value * 100).toFixed(1)}%`;
const ms = (value: number | null): string => (value === null ? '–' : value.toFixed(0));
const money = (value: number): string => `$${Math.round(value).toLocaleString('en-US')}`;
const num = (value: number): string => (Number.isInteger(value) ? value.toLocaleString('en-US') : value.toFixed(2));

function table(header: string[], rows: string[][], numeric: boolean[] = []): string {
  return `<table><thead><tr>${header.map((cell) => `<th>${e(cell)}</th>`).join('')}</tr></thead><tbody>${rows
    .map((row) => `<tr>${row.map((cell, index) => `<td${numeric[index] ? ' class="num"' : ''}>${cell}</td>`).join('')}</tr>`)
    .join('')}</tbody></table>`;
}

function scenarioSection(scenario: ScenarioReport, language: Language): string {
  const L = (text: Text) => text[language];
  const resilience = scenario.resilience;
  const histogram = Object.entries(resilience.attempts_histogram).map(([attempts, calls]) => `${attempts}× ${calls}`).join(', ');
  const served = Object.entries(resilience.served_by).map(([deployment, calls]) => `${e(deployment)} ${calls}`).join(', ') || L(TEXT.none);
  const faultRows = scenario.faults.map((fault) => [
    e(`${fault.kind}@${fault.target}`),
    e(`${fault.at_s}s + ${fault.for_s}s`),
    e(fault.injected ? L(TEXT.yes) : `${L(TEXT.no)}${fault.error ? ` (${fault.error})` : ''}`),
    e(fault.observed.calls),
    e(fault.observed.errors),
    e(fault.observed.retried),
    e(fault.observed.fallbacks),
  ]);
  const slo = scenario.slo.checks.map((check) => [e(check.name), e(check.threshold), check.actual === null ? '–' : e(check.actual), `<span class="${check.pass ? 'pass' : 'fail'}">${L(check.pass ? TEXT.pass : TEXT.fail)}</span>`]);
  const cost = scenario.cost;
  const inputs = Object.entries(cost.traffic).map(([key, value]) => [e(key), e(num(value)), e(cost.sources[key as keyof typeof cost.sources])]);
  return `<section data-scenario="${e(scenario.name)}"><h2>${L(TEXT.scenario)}: ${e(scenario.name)}</h2>
${scenario.description ? `<p>${e(scenario.description)}</p>` : ''}
<h3>${L(TEXT.slo)}</h3>${table([L(TEXT.check), L(TEXT.threshold), L(TEXT.actual), L(TEXT.result)], slo, [false, true, true, false])}
<h3>${L(TEXT.resilience)}</h3>${table(
    [L(TEXT.attempts), L(TEXT.servedBy), L(TEXT.fallback), L(TEXT.skips), L(TEXT.excluded), L(TEXT.budget)],
    [[e(histogram), served, pct(resilience.fallback_share), e(resilience.circuit_skips), e(resilience.primary_excluded), e(resilience.budget_exhausted)]],
  )}
${faultRows.length > 0 ? `<h3>${L(TEXT.faults)}</h3><div data-faults>${table([L(TEXT.fault), L(TEXT.window), L(TEXT.injected), L(TEXT.calls), L(TEXT.errorsCount), L(TEXT.retriedCount), L(TEXT.fallbacksCount)], faultRows, [false, false, false, true, true, true, true])}</div>` : ''}
<h3>${L(TEXT.tokens)}</h3>${table(
    [L(TEXT.input), L(TEXT.output), L(TEXT.retryExtra), L(TEXT.chainExtra)],
    [[num(scenario.tokens.input), num(scenario.tokens.output), num(scenario.tokens.retry_extra_input), `${num(scenario.tokens.chain_extra_input)} + ${num(scenario.tokens.chain_extra_output)}`]],
    [true, true, true, true],
  )}
<h3>${L(TEXT.cost)}</h3>${table(
    ['API', L(TEXT.base), L(TEXT.longContext), L(TEXT.chains), L(TEXT.retryCost), L(TEXT.peakCost), L(TEXT.cloud), L(TEXT.onPrem), L(TEXT.gpus)],
    [[
      money(cost.api.monthly_total),
      money(cost.api.breakdown.base),
      money(cost.api.breakdown.long_context),
      money(cost.api.breakdown.multi_step_chains),
      money(cost.api.breakdown.retries),
      money(cost.api.breakdown.peak_concurrency),
      `${money(cost.private_cloud.monthly_total)} (${money(cost.private_cloud.fixed)} + ${money(cost.private_cloud.variable)})`,
      money(cost.on_prem.monthly_total),
      e(cost.on_prem.sizing.gpus),
    ]],
    [true, true, true, true, true, true, true, true, true],
  )}
<details><summary>${L(TEXT.inputs)}</summary>${table([L(TEXT.key), L(TEXT.value), L(TEXT.source)], inputs, [false, true, false])}</details>
</section>`;
}

/** One self-contained HTML file: inline CSS and SVG, no script, nothing fetched. */
export function renderLoadtestHtml(report: LoadtestReport, language: Language): string {
  const L = (text: Text) => text[language];
  const overview = report.scenarios.map((scenario) => [
    e(scenario.name),
    num(scenario.requests.calls),
    num(scenario.throughput.calls_per_s),
    ms(scenario.latency_ms.p50),
    ms(scenario.latency_ms.p95),
    ms(scenario.latency_ms.p99),
    ms(scenario.ttft_ms.p95),
    pct(scenario.rates.error_rate),
    pct(scenario.rates.timeout_rate),
    pct(scenario.rates.retry_rate),
    pct(scenario.rates.fallback_share),
    `<span class="${scenario.slo.pass ? 'pass' : 'fail'}">${L(scenario.slo.pass ? TEXT.pass : TEXT.fail)}</span>`,
  ]);
  return `<!DOCTYPE html>
<html lang="${language}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>${e(L(TEXT.title))}</title>
<style>${STYLE}</style>
</head>
<body>
<header><h1>${e(L(TEXT.title))}</h1><p class="subtitle">${e(L(TEXT.subtitle))} ${e(report.generated_at)} · ${e(report.target.url)}</p></header>
<main>
<section id="overview"><h2>${L(TEXT.overview)}</h2>
${table(
  [L(TEXT.scenario), L(TEXT.calls), L(TEXT.throughput), L(TEXT.p50), L(TEXT.p95), L(TEXT.p99), L(TEXT.ttft), L(TEXT.errors), L(TEXT.timeouts), L(TEXT.retries), L(TEXT.fallback), L(TEXT.slo)],
  overview,
  [false, true, true, true, true, true, true, true, true, true, true, false],
)}
<p>${L(TEXT.peak)}: <strong>${num(report.peak_factor.value)}×</strong> (${e(report.peak_factor.method)}; burst ${num(report.peak_factor.burst_max)}×)</p>
<figure>${latencyChart(report, language)}<figcaption>${e(L(TEXT.latencyCaption))}</figcaption></figure>
<figure>${costChart(report, language)}<figcaption>${e(L(TEXT.costCaption))}</figcaption></figure>
<p>${code(L(TEXT.advisorText))}</p>
</section>
${report.scenarios.map((scenario) => scenarioSection(scenario, language)).join('\n')}
</main>
</body>
</html>
`;
}
