/**
 * Quality signals read from an answer, cheaply and without storing it: a refusal (the provider's
 * content filter, an explicit `refusal`, or the model declining in so many words) and whether it
 * carries references (links, numbered citations, 「參考/資料來源」). Heuristics by design: they feed
 * a trend on the quality dashboard, not a decision about the request.
 */
const REFUSAL = /^(?:\s*)(?:I(?:'m| am) (?:sorry|unable|not able)|I can(?:'|no)t (?:help|assist|comply|provide)|抱歉[，,]?我(?:無法|不能)|很抱歉|我無法(?:協助|提供|回答))/i;
const CITATION = /https?:\/\/\S+|\[\d{1,3}\]|【\d{1,3}】|(?:^|\n)\s*(?:Sources?|References?|參考資料|資料來源|參考文獻)\s*[:：]/i;

export function responseQuality(text: string, signals: { contentFiltered?: boolean; refusal?: string | null }): { refusal: boolean; citations: boolean } {
  return {
    refusal: signals.contentFiltered === true || (signals.refusal ?? '') !== '' || REFUSAL.test(text),
    citations: CITATION.test(text),
  };
}
