import { S } from './corpus-slots.js';
import { oneOf, tpl, type Template } from './corpus-template.js';

const zh = tpl('zh-TW');
const en = tpl('en');
const mixed = tpl('mixed');

/**
 * The `unseen` split's templates. Written before any tuning and never read while tuning the
 * detectors: its score is the honest estimate of how the detectors do on text they were not
 * shaped on. Disjoint from `templates-tune.ts` (different documents, wording and contexts).
 */
export const UNSEEN_TEMPLATES: readonly Template[] = [
  // Lease contract
  zh`房屋租賃契約書　出租人：${S.zhName}（身分證統一編號${S.nationalId}），承租人：${S.zhName}。租賃標的：${S.zhAddress}。每月租金${S.formalAmount}，押金${S.amountZh}，應於每月五日前匯入出租人帳戶${S.bank}。`,
  zh`立契約書人 甲方${oneOf('（出租人）', '')}${S.zhName}，乙方${S.zhName}，雙方同意於${S.date}起租，租金${S.formalAmount}。`,
  // Court / legal
  zh`民事起訴狀　原告 ${S.zhName}，住${S.zhAddress}；被告 ${S.zhName}，聯絡電話 ${S.phoneZh}。請求被告給付${S.amountZh}及自起訴狀繕本送達翌日起之利息。`,
  // Insurance claim
  zh`理賠申請書：被保險人${S.zhName}，身分證字號${S.nationalId}，保單號碼${S.order}，理賠金額${S.formalAmount}，請匯入${S.bank}（戶名同被保險人）。`,
  // HR onboarding
  zh`新進人員資料｜姓名：${S.zhName}｜居留證號：${S.residentId}｜手機：${S.mobile}｜通訊地址：${S.zhAddress}｜薪資帳戶：${S.bank}`,
  zh`人資通知：申請人 ${S.zhName} 的加班費${S.amountZh}已核准，將於${S.date}隨薪發放，如有疑問請洽聯絡人${S.zhName}，分機請撥${S.phoneZh}。`,
  // Invoice / procurement
  zh`請款單　廠商：宏達精密股份有限公司（統一編號：${S.ubn}）　發票號碼 ${S.invoice}　未稅金額${S.amountZh}　匯款帳號：${S.bank}　承辦：${S.zhName}`,
  zh`採購訂單 ${S.order} 已出貨，物流追蹤碼 ${S.tracking}，預計${S.date}送達${S.zhAddress}，收件人${S.zhName}，電話${S.phoneZh}。`,
  // Chat
  zh`欸我剛把 prod 的密碼改成 ${S.password} 了，記得更新 vault，不要再貼群組喔`,
  mixed`@${S.westName} 我把 ${oneOf('Slack bot token', 'Stripe key', 'API key', 'token')} ${S.token} 放到 .env 了，${oneOf('部署完請 rotate', 'CI 還是紅的', '先別 commit')}`,
  zh`你好，我是${S.zhName}，信用卡${S.card}被盜刷${S.amountZh}，麻煩幫我停卡，手機${S.mobile}。`,
  // Incident log
  en`[${S.date} 03:12:44] WARN auth: ${oneOf('failed login', 'rate limited', 'blocked request')} from ${S.ip} for user ${S.email}; agent version ${S.version}`,
  en`Incident INC-${oneOf('2231', '4410', '0087')}: the connection string postgres://${S.user}:${S.urlPassword}@${S.host}:5432/ledger was printed in the job log. Rotate it and notify ${S.latinName}.`,
  en`Deploy log: rolled back to ${S.version}; AWS access key ${S.token} was found in the artefact, ticket ${S.order}.`,
  // E-mail (English)
  en`Dear ${S.westName},\nPlease wire ${S.amountEn} to our account ${S.bank} at Cathay United Bank before ${S.date}. Our office: ${S.enTwAddress}. Tel ${S.intlPhone}.`,
  en`Hi team, the new tenant ${S.romanName} moves into ${S.enTwAddress} next week. Contact: ${S.phoneEn} or ${S.email}.`,
  en`Shipping label — Ship to: ${S.latinName}, ${S.usAddress}. Phone ${S.phoneEn}. Tracking ${S.tracking}, order ${S.order}.`,
  en`Payee: ${S.romanName}\nBank account: ${S.bank}\nAmount: ${S.amountEn}\nReference: ${S.invoice}`,
  en`Reimbursement approved for ${S.westName} (${S.amountEn}); card on file ${S.card} will not be charged. Questions: ${S.phoneEn}.`,
  en`Customer ${S.romanName} (ARC No. ${S.residentId}) updated the mailing address to ${S.enTwAddress}.`,
  en`Release notes ${S.version}: fixed a crash on ${S.date}; ${S.quantity} affected; see build ${S.version}.`,
  // Mixed
  mixed`會議記錄：${S.latinName} 說 staging DB 的 pwd: ${S.password}，已經改掉；新的 Google API key ${S.token} 請勿外流。`,
  mixed`供應商 Contact：${S.westName}，TEL ${S.intlPhone}，Email ${S.email}，公司統編 ${S.ubn}。`,
  mixed`Azure storage 連線字串 AccountKey=${S.azureKey} 被誤推到 GitHub，請${S.zhName}盡快輪替。`,
  // Hard negatives only
  zh`系統公告：版本 ${S.version} 將於 ${S.date} 上線，本次共修正 ${S.quantity} 問題，訂單編號 ${S.order} 的查詢功能已恢復。`,
  zh`檢核失敗：身分證欄位 ${S.badId} 檢查碼錯誤；卡號欄位 ${S.notCard} 不是有效卡號；物流單號 ${S.tracking}。`,
  en`Order ${S.order} shipped on ${S.date} via tracking ${S.tracking}; firmware ${S.version}; invoice ${S.invoice}.`,
];
