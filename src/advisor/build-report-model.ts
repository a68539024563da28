import type { Advice } from './advise.js';
import { ANSWER_KEYS } from './answers-schema.js';
import { CRITERIA, CRITERION_PROFILES } from './criteria.js';
import { count, decimal, money, percent } from './format-number.js';
import { l, type Language, type Localized, localize } from './localized.js';
import { MODE_PROFILES, MODES } from './modes.js';
import { COST_DEFAULTS_COMPILED } from './prices.js';
import type { Block, ReportModel, Section } from './report-model.js';
import { SOP_STEPS } from './sop.js';

const H = {
  title: l('Deployment decision: {mode}', '部署決策：{mode}'),
  subtitle: l('Switchyard deployment advisor — data constraints first, then latency and cost model, then vendor.', 'Switchyard 部署顧問 — 先看資料限制，再看延遲與成本模式，最後才是供應商。'),
  recommendation: l('Recommendation', '建議'),
  inputs: l('Inputs', '輸入'),
  tree: l('Decision-tree path', '決策樹路徑'),
  scores: l('Scores × weights', '分數 × 權重'),
  vetoes: l('Vetoes', '否決'),
  risk: l('Risk log: why the other modes were not chosen', '風險紀錄：其他模式為何未被選擇'),
  sensitivity: l('Sensitivity', '敏感度分析'),
  cost: l('Monthly cost projection', '每月成本推估'),
  sop: l('Nine-step PoC → production checklist', '九步驟 PoC → 正式上線檢查表'),
  modes: l('The five modes', '五種部署模式'),
};

export function buildReportModel(advice: Advice, language: Language): ReportModel {
  const t = (text: Localized): string => localize(text, language);
  const zh = language === 'zh-TW';
  const colon = zh ? '：' : ': ';
  const modeName = (mode: (typeof MODES)[number]): string => `${t(MODE_PROFILES[mode].name)} (${mode})`;
  const sections: Section[] = [];

  const runnerUp = advice.runnerUp === null ? t(l('none', '無')) : modeName(advice.runnerUp);
  sections.push({
    id: 'recommendation',
    title: t(H.recommendation),
    blocks: [
      { kind: 'paragraph', text: `${t(l('Recommended mode', '建議模式'))}${colon}${modeName(advice.winner)} — ${t(l('runner-up', '次佳'))}${colon}${runnerUp}${zh ? '。' : '.'}` },
      { kind: 'list', items: advice.why.map(t) },
      { kind: 'chart', chart: 'score-bars', caption: t(l('Weighted total per mode (vetoed modes greyed out).', '各模式加權總分（被否決者以灰色表示）。')) },
    ],
  });

  const answerRows = ANSWER_KEYS.map((key) => [key, String(advice.answers[key])]);
  const trafficRows = Object.entries(advice.traffic.traffic).map(([key, value]) => [
    key,
    count(value),
    advice.traffic.assumed.includes(key as keyof typeof advice.traffic.traffic)
      ? t(l('assumed (default)', '假設（預設值）'))
      : advice.traffic.measured.includes(key as keyof typeof advice.traffic.traffic)
        ? advice.traffic.measuredFrom?.kind === 'loadtest'
          ? t(l('measured (load test)', '實測（負載測試）'))
          : t(l('measured (audit export)', '實測（稽核匯出）'))
        : t(l('answers file', '答案檔')),
  ]);
  const weightIntro =
    advice.weightSource === 'answers-file'
      ? t(l('Weights come from the answers file.', '權重取自答案檔。'))
      : `${t(l('Weights are the base weights adjusted by the answers, rescaled to 100:', '權重為基礎權重依答案調整後，再縮放為 100：'))} ${
          advice.weightAdjustments.map((adjustment) => `${adjustment.criterion} +${adjustment.points} (${t(adjustment.because)})`).join('; ') || t(l('no adjustments', '無調整'))
        }.`;
  sections.push({
    id: 'inputs',
    title: t(H.inputs),
    blocks: [
      { kind: 'table', header: [t(l('Answer', '題目')), t(l('Value', '答案'))], rows: answerRows },
      { kind: 'table', header: [t(l('Traffic', '流量')), t(l('Value', '數值')), t(l('Source', '來源'))], rows: trafficRows, numeric: [false, true, false] },
      ...(advice.traffic.measuredFrom ? [{ kind: 'paragraph' as const, text: t(advice.traffic.measuredFrom.description) }] : []),
      { kind: 'paragraph', text: weightIntro },
    ],
  });

  const treeBlocks: Block[] = [
    {
      kind: 'table',
      header: ['#', t(l('Question', '問題')), t(l('Answer', '答案')), t(l('Points to', '指向')), t(l('Result', '結果'))],
      rows: advice.tree.steps.map((step, index) => [String(index + 1), t(step.question), step.answer, step.candidates.join(', '), t(step.note)]),
    },
    { kind: 'paragraph', text: `${t(l('Candidates after the tree', '決策樹後的候選'))}${colon}${advice.tree.candidates.join(', ')}.` },
  ];
  treeBlocks.push(
    advice.tree.conflicts.length > 0
      ? { kind: 'list', items: advice.tree.conflicts.map((conflict) => `${t(l('Conflict', '衝突'))}${colon}${t(conflict)}`) }
      : { kind: 'paragraph', text: t(l('No conflicts between the answers.', '答案之間沒有衝突。')) },
  );
  sections.push({ id: 'decision-tree', title: t(H.tree), blocks: treeBlocks });

  const scoreRows = CRITERIA.map((criterion) => [
    t(CRITERION_PROFILES[criterion].name),
    decimal(advice.weights[criterion], 1),
    ...MODES.map((mode) => `${advice.table[mode][criterion]}${advice.overriddenScores.has(`${mode}.${criterion}`) ? '*' : ''}`),
  ]);
  scoreRows.push([t(l('Weighted total', '加權總分')), '100.0', ...MODES.map((mode) => decimal(advice.totals[mode]))]);
  sections.push({
    id: 'scores',
    title: t(H.scores),
    blocks: [
      { kind: 'table', header: [t(l('Criterion', '準則')), t(l('Weight %', '權重 %')), ...MODES], rows: scoreRows, numeric: [false, true, ...MODES.map(() => true)] },
      { kind: 'paragraph', text: t(l('Scores are 1–5, higher is better for the organisation; * marks a score overridden in the answers file. Total = Σ weight × score / 100.', '分數 1–5，越高對組織越有利；* 表示答案檔覆寫的分數。總分 = Σ 權重 × 分數 / 100。')) },
      { kind: 'chart', chart: 'heat-map', caption: t(l('Criterion heat map (score per mode and criterion).', '準則熱度圖（各模式各準則分數）。')) },
    ],
  });

  const vetoItems = MODES.flatMap((mode) => advice.vetoes[mode].map((reason) => `${mode}: ${t(reason)}`));
  sections.push({
    id: 'vetoes',
    title: t(H.vetoes),
    blocks: [vetoItems.length > 0 ? { kind: 'list', items: vetoItems } : { kind: 'paragraph', text: t(l('No mode is vetoed by these answers.', '依這些答案沒有模式被否決。')) }],
  });

  sections.push({
    id: 'risk-log',
    title: t(H.risk),
    blocks: advice.ranking
      .filter((mode) => mode !== advice.winner)
      .flatMap((mode): Block[] => [
        { kind: 'paragraph', text: `${modeName(mode)}` },
        { kind: 'list', items: advice.notChosen[mode].map(t) },
      ]),
  });

  const sensitivityBlocks: Block[] = [];
  if (advice.sensitivity.length === 0) {
    sensitivityBlocks.push({ kind: 'paragraph', text: t(l('Only one mode is not vetoed: no weight change can alter the recommendation.', '只有一個模式未被否決：任何權重變化都不會改變建議。')) });
  } else {
    const first = advice.sensitivity[0];
    const basis =
      first?.basis === 'tree-candidates'
        ? t(l('Compared among the eligible decision-tree candidates.', '比較對象為決策樹中可選的候選模式。'))
        : t(l('The decision tree leaves one eligible mode, so weights alone cannot change the recommendation; shown instead: how far the weights are from another non-vetoed mode leading on score.', '決策樹只留下一個可選模式，單靠權重無法改變建議；以下改為顯示：權重需變動多少，才會讓另一個未被否決的模式在分數上領先。'));
    const method = t(l('Method: move one criterion’s weight, rescale the other seven proportionally so the total stays 100, and find the nearest weight at which another mode ranks first.', '方法：調整單一準則權重，其餘七項依比例縮放使總和維持 100，找出最近一個讓其他模式排名第一的權重。'));
    const describe = (threshold: (typeof advice.sensitivity)[number]['increase']): string =>
      threshold === null ? t(l('never', '不會')) : `${decimal(threshold.to_weight, 1)} (${threshold.change > 0 ? '+' : ''}${decimal(threshold.change, 1)}) → ${threshold.new_leader}`;
    sensitivityBlocks.push(
      { kind: 'paragraph', text: `${basis} ${method} ${t(l('Score leader at current weights', '目前權重下的分數領先者'))}${colon}${first?.leader ?? ''}.` },
      {
        kind: 'table',
        header: [t(l('Criterion', '準則')), t(l('Weight %', '權重 %')), t(l('Lower to', '降至')), t(l('Raise to', '升至'))],
        rows: advice.sensitivity.map((item) => [t(CRITERION_PROFILES[item.criterion].name), decimal(item.weight, 1), describe(item.decrease), describe(item.increase)]),
      },
    );
  }
  sections.push({ id: 'sensitivity', title: t(H.sensitivity), blocks: sensitivityBlocks });

  const costRows = MODES.map((mode) => {
    const cost = advice.cost[mode];
    const parts = Object.entries(cost.breakdown).map(([key, value]) => `${key} ${money(value as number)}`).join('; ');
    return [mode, money(cost.monthly_total), parts];
  });
  const sizing = advice.costDetails.onPremSizing;
  const breakEven = advice.costDetails.breakEvenRequestsPerDay;
  sections.push({
    id: 'cost',
    title: t(H.cost),
    blocks: [
      { kind: 'table', header: [t(l('Mode', '模式')), t(l('Monthly (USD)', '每月（美元）')), t(l('Breakdown', '明細'))], rows: costRows, numeric: [false, true, false] },
      { kind: 'chart', chart: 'cost-stack', caption: t(l('Monthly cost per mode; the API bar stacks its base and the four parts that blow up estimates.', '各模式每月成本；API 長條堆疊基本成本與四個常讓估算失準的部分。')) },
      {
        kind: 'paragraph',
        text: `${t(l('On-prem sizing (for peak)', '地端容量（依尖峰）'))}${colon}${count(sizing.calls_per_month)} ${t(l('calls/month', '次呼叫/月'))}, ${count(Math.round(sizing.compute_tps))} ${t(l('compute tok/s at peak', '尖峰運算 tok/s'))}, ${sizing.replicas} ${t(l('replicas', '副本'))}, ${sizing.gpus} GPU, ${t(l('utilisation target', '使用率目標'))} ${percent(sizing.utilisation, 0)}.`,
      },
      {
        kind: 'table',
        header: [t(l('Utilisation', '使用率')), 'GPU', t(l('On-prem monthly', '地端每月'))],
        rows: advice.costDetails.utilisationSweep.map((point) => [percent(point.utilisation, 0), String(point.gpus), money(point.monthly_total)]),
        numeric: [true, true, true],
      },
      {
        kind: 'paragraph',
        text:
          breakEven === null
            ? t(l('On-prem does not break even with the API between 0.01× and 1000× this volume.', '在此流量的 0.01 到 1000 倍之間，地端都無法與 API 打平。'))
            : `${t(l('On-prem breaks even with the API at about', '地端約在以下流量與 API 打平'))} ${count(Math.round(breakEven))} ${t(l('requests/day', '請求/日'))} (${decimal(breakEven / advice.traffic.traffic.requests_per_day, 1)}× ${t(l('today', '目前'))}).`,
      },
      { kind: 'chart', chart: 'break-even', caption: t(l('On-prem vs API monthly cost over volume (log–log scale).', '地端與 API 每月成本隨流量變化（雙對數尺度）。')) },
      {
        kind: 'table',
        header: [t(l('Price', '價格')), t(l('Value', '數值')), t(l('Unit', '單位')), t(l('Source', '來源')), t(l('As of', '日期'))],
        rows: advice.priceEntries.map((entry) => [`${entry.group}.${entry.key}`, String(entry.value), entry.unit, `${entry.confidence}: ${entry.source}`, entry.asOf]),
      },
      { kind: 'paragraph', text: `${t(l('Price defaults compiled', '價格預設值彙整日'))} ${COST_DEFAULTS_COMPILED}; ${t(l('confidence O = official, S = secondary, C = derived, A = advisor assumption. Override any value under `prices` in the answers file.', '信心等級 O = 官方、S = 次級來源、C = 推算、A = 顧問假設。可在答案檔 `prices` 下覆寫任何數值。'))}` },
    ],
  });

  sections.push({
    id: 'sop',
    title: t(H.sop),
    blocks: [
      {
        kind: 'list',
        checklist: true,
        items: SOP_STEPS.map((step) => `${step.step}. ${t(step.title)} — ${t(step.checklist)} ${zh ? 'Switchyard 支援：' : 'Switchyard: '}${t(step.switchyard_feature)}`),
      },
    ],
  });

  sections.push({
    id: 'modes',
    title: t(H.modes),
    blocks: [
      {
        kind: 'table',
        header: [t(l('Mode', '模式')), t(l('Data path', '資料路徑')), t(l('Inference', '推論位置')), t(l('Responsibility', '責任邊界')), t(l('Control', '管控方式')), t(l('Payment', '付費方式')), t(l('Launch', '上線時間'))],
        rows: MODES.map((mode) => {
          const profile = MODE_PROFILES[mode];
          return [modeName(mode), t(profile.dataPath), t(profile.inferenceLocation), t(profile.responsibilityBoundary), t(profile.control), t(profile.payment), t(profile.timeToLaunch)];
        }),
      },
    ],
  });

  return {
    language,
    title: t(H.title).replace('{mode}', modeName(advice.winner)),
    subtitle: t(H.subtitle),
    sections,
  };
}
