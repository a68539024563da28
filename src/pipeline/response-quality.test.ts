import { describe, expect, it } from 'vitest';
import { responseQuality } from './response-quality.js';

describe('responseQuality', () => {
  it('sees refusals from the provider and from the wording, in English and Chinese', () => {
    expect(responseQuality('ok', { contentFiltered: true }).refusal).toBe(true);
    expect(responseQuality('ok', { refusal: 'no' }).refusal).toBe(true);
    expect(responseQuality("I'm sorry, but I can't help with that.", {}).refusal).toBe(true);
    expect(responseQuality('抱歉，我無法提供他人的個人資料。', {}).refusal).toBe(true);
    expect(responseQuality('Here is the summary you asked for.', {}).refusal).toBe(false);
    expect(responseQuality('The report says sorry twice; I cannot stress this enough.', {}).refusal).toBe(false);
  });

  it('sees references: links, numbered citations and source sections', () => {
    expect(responseQuality('See https://law.moj.gov.tw/ for the act.', {}).citations).toBe(true);
    expect(responseQuality('Premiums rose 3% [2].', {}).citations).toBe(true);
    expect(responseQuality('結論如上。\n資料來源：內政部統計', {}).citations).toBe(true);
    expect(responseQuality('No sources here, just prose with 2 numbers.', {}).citations).toBe(false);
  });
});
