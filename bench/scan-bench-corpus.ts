/**
 * The scan benchmark's corpus: ordinary mixed zh/en prose with one PII sentence in six (ID,
 * phone, e-mail, account, UBN, address, token, card, amounts). Shared by scan-bench.ts and
 * scan-output-hash.ts so the hash covers exactly the text the benchmark scans.
 */
const PROSE = [
  '本週的專案會議確認了第三季的交付時程，請各組在週五前更新進度。',
  'The deployment pipeline now runs integration tests in parallel, which cut build time in half.',
  '客服團隊反映，新版介面的搜尋功能比舊版更直覺，但匯出報表仍然太慢。',
  'Please review the attached design document and leave comments before the architecture review.',
  '行銷部計畫在下個月推出會員回饋活動，預計吸引更多年輕族群加入。',
  'We should cache the model responses for identical prompts to reduce latency and cost.',
  '資安組提醒大家不要把正式環境的金鑰貼到聊天室或公開的程式碼庫。',
  'Quarterly revenue grew steadily, driven mostly by enterprise renewals in the APAC region.',
];

const PII = [
  '客戶王小明（身分證A123456789）來電，手機0912-345-678。',
  'Contact Emily Carter at emily.carter@example.com or +1 (415) 555-0199.',
  '請匯款新台幣120萬元至帳號 004-12345678901，統一編號 04595257。',
  '寄送地址：106臺北市大安區復興南路一段390號2樓。',
  'Server 10.0.0.12 rejected the token ghp_aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY2zA4.',
  '信用卡 4111 1111 1111 1111 已扣款 NT$3,200。',
];

export function buildBenchCorpus(targetLength: number): string {
  const parts: string[] = [];
  let length = 0;
  for (let index = 0; length < targetLength; index += 1) {
    // One PII sentence per five prose sentences, cycling through all six PII sentences. (Until
    // 2026-12-02 this picked PII[index % 6] with index % 6 === 5, i.e. only the card sentence.)
    const sentence = index % 6 === 5 ? PII[Math.floor(index / 6) % PII.length] : PROSE[index % PROSE.length];
    parts.push(sentence ?? '');
    length += (sentence ?? '').length + 1;
  }
  return parts.join('\n').slice(0, targetLength);
}
