// Benchmark prompts: mixed Traditional Chinese / English business text with personal data in
// it (national ID, phone, e-mail, card number, address), so a policy stage has real work:
// scanning CJK and ASCII, finding entities, masking them.
const SENTENCES = [
  '客戶王小明來電詢問上個月的帳單明細，希望我們在本週五之前回覆。',
  'Please summarise the customer complaint below and propose a polite reply in English.',
  '他的身分證字號是 A123456789，聯絡電話 0912-345-678，請核對資料是否正確。',
  'The customer can be reached at wang.xiaoming@example.com.tw during office hours.',
  '付款使用的信用卡號為 4111 1111 1111 1111，交易金額新台幣 12,800 元。',
  'According to the contract, the refund must be processed within fourteen business days.',
  '通訊地址：台北市信義區市府路45號8樓，請寄送紙本收據。',
  'Do not include internal ticket numbers or employee names in the reply to the customer.',
  '統一編號 12345675 的公司也要求提供發票副本，請一併處理。',
  'Classify the urgency of this case as low, medium or high and explain why in one sentence.',
];

/** A prompt of about `bytes` UTF-8 bytes (never more), built from whole sentences where possible. */
export function mixedPrompt(bytes) {
  let text = '';
  for (let index = 0; ; index++) {
    const next = `${SENTENCES[index % SENTENCES.length]}\n`;
    if (Buffer.byteLength(text + next) > bytes) break;
    text += next;
  }
  return text;
}

/** The OpenAI Chat Completions body every target receives. `max_tokens` keeps answers short
 *  (the mock echoes the prompt) so the figures measure request handling, not echo length. */
export function chatBody({ model, promptBytes, stream }) {
  return JSON.stringify({
    model,
    messages: [
      { role: 'system', content: 'You are a careful customer-service assistant.' },
      { role: 'user', content: mixedPrompt(promptBytes) },
    ],
    max_tokens: 128,
    ...(stream ? { stream: true, stream_options: { include_usage: true } } : {}),
  });
}
