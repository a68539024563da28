import { DIGIT_TRIGGERS, type DetectedSpan, type Detector } from './detector.js';
import { forEachMatch } from './text-context.js';
import { defineDetector } from './detector-definition.js';

const CURRENCY_WORD = String.raw`(?:NT\$|NTD|TWD|US\$|USD|HK\$|HKD|S\$|SGD|RMB|CNY|JPY|EUR|GBP|AUD|CAD)`;
const CURRENCY_ZH = String.raw`(?:新台幣|新臺幣|台幣|臺幣|人民幣|美金|美元|日圓|日幣|歐元|港幣)`;
const NUMBER = String.raw`(?:\d{1,3}(?:,\d{3})+|\d{1,15})(?:\.\d{1,4})?`;
const SCALE_ZH = String.raw`(?:[千百]?[萬億]|千)`;
const SCALE_EN = String.raw`(?:\s?(?:million|billion|thousand|mn|bn|[MKB])(?![A-Za-z]))`;
const ZH_NUMERALS = String.raw`[零〇一二兩三四五六七八九十百千萬億壹貳參叁肆伍陸柒捌玖拾佰仟]{1,20}`;
const FINANCIAL_NUMERALS = String.raw`[零壹貳參叁肆伍陸柒捌玖拾佰仟萬億]{2,20}`;
const YUAN = String.raw`(?:(?:元|圓|塊)整?)`;

/**
 * Money only. Every alternative needs a currency marker — a prefix (NT$, NTD, 新台幣, $), a
 * trailing 元/圓/塊 or a trailing currency code — so counts (`120萬人次`, `1,200份`),
 * percentages, page counts and years never match.
 */
const CANDIDATE = new RegExp(
  [
    // NT$1,200 · NTD 35,000 · US$50,000 · $142,600 · USD 1.2M · 新台幣120萬元 · NT$3億
    String.raw`(?:(?<![A-Za-z])${CURRENCY_WORD}|(?<![A-Za-z0-9])[$€£¥]|${CURRENCY_ZH})\s?${NUMBER}(?:\s?${SCALE_ZH}${YUAN}?|${SCALE_EN}|\s?${YUAN})?`,
    // 新臺幣壹佰貳拾萬元整 · 新台幣三萬元
    String.raw`(?:${CURRENCY_ZH}|(?<![A-Za-z])${CURRENCY_WORD}\s?)${ZH_NUMERALS}${YUAN}?`,
    // 191,000元 · 3.5億元 · 120萬元
    String.raw`(?<![\w.,$])${NUMBER}\s?${SCALE_ZH}?${YUAN}`,
    // 壹佰貳拾萬元整 (financial numerals need no prefix)
    String.raw`${FINANCIAL_NUMERALS}${YUAN}`,
    // 35,000 NTD · 50 USD · 1,200 dollars
    String.raw`(?<![\w.,$])${NUMBER}${SCALE_EN}?\s?(?:NTD|TWD|USD|dollars|美元|美金|台幣|臺幣)(?![A-Za-z])`,
  ].join('|'),
  'g',
);

/** Monetary amounts with their currency marker and unit words. */
export const amountDetector: Detector = {
  id: 'amount',
  entity: 'AMOUNT',
  triggers: `${DIGIT_TRIGGERS}壹貳參叁肆伍陸柒捌玖拾佰仟元圓塊幣金`,
  detect(text) {
    const spans: DetectedSpan[] = [];
    forEachMatch(CANDIDATE, text, (match) => {
      let end = match.index + match[0].length;
      while (end > match.index && text[end - 1] === ' ') end -= 1;
      spans.push({ start: match.index, end, score: 0.9 });
    });
    return spans;
  },
};

/** Built-in definition: amount spans imply `internal` unless `policy.entity_classes` says otherwise. */
export const amountDefinition = defineDetector(amountDetector, 'internal');
