import { describe, expect, it } from 'vitest';
import { buildAdvice } from './advise.js';
import { MODES, type Mode } from './modes.js';
import { makeAnswers } from '../../test/support/advisor/test-answers.js';
import { blockingRisks, findVetoes } from './vetoes.js';

const vetoed = (vetoes: ReturnType<typeof findVetoes>): Mode[] => MODES.filter((mode) => vetoes[mode].length > 0);

describe('vetoes', () => {
  it('data may not leave: api, private-cloud and multi-cloud are vetoed', () => {
    const vetoes = findVetoes(makeAnswers({ data_egress: 'forbidden' }));
    expect(vetoed(vetoes)).toEqual(['api', 'private-cloud', 'multi-cloud']);
    expect(vetoes.api[0]?.en).toContain('public API');
    expect(vetoes['multi-cloud'][0]?.['zh-TW']).toContain('公有雲');
  });

  it('data may leave only isolated: the public API is vetoed', () => {
    expect(vetoed(findVetoes(makeAnswers({ data_egress: 'isolated' })))).toEqual(['api']);
  });

  it('offline required: every mode that needs the internet is vetoed', () => {
    const vetoes = findVetoes(makeAnswers({ offline_required: true }));
    expect(vetoed(vetoes)).toEqual(['api', 'private-cloud', 'hybrid', 'multi-cloud']);
    expect(vetoes.hybrid[0]?.en).toContain('Offline');
  });

  it('low-sensitivity data and no offline need veto nothing', () => {
    expect(vetoed(findVetoes(makeAnswers()))).toEqual([]);
  });

  it('a vetoed mode is never recommended, however high its scores', () => {
    const advice = buildAdvice({
      answers: makeAnswers({ data_egress: 'forbidden', time_to_launch: 'weeks' }),
      scores: { 'private-cloud': { data_compliance: 5, latency: 5, availability: 5, cost: 5, control: 5, integration: 5, operations: 5, future: 5 } },
    });
    expect(advice.totals['private-cloud']).toBe(5);
    expect(advice.winner).not.toBe('private-cloud');
    expect(advice.notChosen['private-cloud'][0]?.en).toMatch(/^Vetoed: /);
  });

  it('when every tree candidate is vetoed, the best non-vetoed mode is chosen and the report says why', () => {
    const advice = buildAdvice({ answers: makeAnswers({ data_egress: 'isolated', time_to_launch: 'months', offline_required: true }) });
    expect(advice.tree.candidates).toEqual(['private-cloud']);
    expect(advice.winner).toBe('on-prem');
    expect(advice.why.map((reason) => reason.en).join(' ')).toContain('Every decision-tree candidate is vetoed');
  });

  it('no operations capability with inference inside is a blocking risk, not a veto', () => {
    const answers = makeAnswers({ data_egress: 'forbidden', time_to_launch: 'longer', ops_capability: 'none' });
    expect(blockingRisks(answers, 'on-prem')).toHaveLength(1);
    expect(blockingRisks(answers, 'private-cloud')).toHaveLength(0);
    expect(blockingRisks(makeAnswers({ ops_capability: 'basic' }), 'on-prem')).toHaveLength(0);
    const advice = buildAdvice({ answers });
    expect(advice.winner).toBe('on-prem');
    expect(advice.vetoes['on-prem']).toHaveLength(0);
    expect(advice.why.map((reason) => reason.en).join(' ')).toContain('Blocking risk');
  });
});
