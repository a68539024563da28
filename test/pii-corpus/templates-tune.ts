import { S } from './corpus-slots.js';
import { oneOf, tpl, type Template } from './corpus-template.js';

const zh = tpl('zh-TW');
const en = tpl('en');
const mixed = tpl('mixed');

/** The `tune` split's templates: used while developing the detectors. Disjoint from `unseen`. */
export const TUNE_TEMPLATES: readonly Template[] = [
  zh`客服紀錄：客戶${S.zhName}來電詢問帳單，身分證${S.nationalId}，回撥電話${S.phoneZh}，帳單金額${S.amountZh}。`,
  zh`申請人${S.zhName}申請更換通訊地址為${S.zhAddress}，並留下聯絡手機${S.mobile}。`,
  zh`借款契約：借款人${S.zhName}向貸與人${S.zhName}借款${S.formalAmount}，約定匯入帳號${S.bank}。`,
  zh`被告${S.zhName}於${S.date}將${S.amountZh}轉入原告${S.zhName}之帳戶${S.bank}。`,
  zh`保險要保書：要保人${S.zhName}，被保險人${S.zhName}，身分證號${S.nationalId}，住所${S.zhAddress}，聯絡電話${S.phoneZh}。`,
  zh`外籍員工${S.latinName}，居留證${S.residentId}，薪轉帳戶${S.bank}，緊急聯絡人${S.zhName}（${S.mobile}）。`,
  zh`報價單：買方統編${S.ubn}，總價${S.amountZh}（含稅），付款期限${S.date}，業務${S.zhName} ${S.phoneZh}。`,
  zh`資安通報：有人在群組貼出密碼是${S.password}，另外 npm token ${S.token} 也外洩了，請立即撤銷。`,
  zh`刷卡授權：卡號${S.card}，消費${S.amountZh}，持卡人${S.zhName}。`,
  zh`公司地址：${S.zhAddress}，代表號${S.phoneZh}，傳真${S.phoneZh}。`,
  zh`本合約總價款為${S.formalAmount}，由甲方分三期給付。`,
  zh`主機 ${S.ip} 於 ${S.date} 發生異常登入，來源帳號 ${S.email}。`,
  en`Tenant: ${S.romanName}\nLandlord: ${S.westName}\nPremises: ${S.enTwAddress}\nMonthly rent: ${S.amountEn}`,
  en`Please call ${S.latinName} at ${S.phoneEn} regarding the claim; her email is ${S.email}.`,
  en`Remit ${S.amountEn} to account no. ${S.bank} (beneficiary ${S.romanName}) by ${S.date}.`,
  en`Our US office moved to ${S.usAddress}. Reception: ${S.phoneEn}.`,
  en`Login attempt from IP ${S.ip} rejected; password: ${S.password} was found in plaintext in the config.`,
  en`The key ${S.token} was committed in ${S.version}; revoke it and rotate the Azure key ${S.azureKey}.`,
  en`Employee ${S.romanName}, national ID ${S.nationalId}, card ${S.card}.`,
  en`Applicant: ${S.westName}; Contact person: ${S.romanName}; Mailing address: ${S.enTwAddress}.`,
  en`Redis URL redis://${S.user}:${S.urlPassword}@${S.host}:6379/0 must not be logged.`,
  mixed`請 ${S.westName} 把 invoice ${S.invoice} 的款項 ${S.amountEn} 匯到 ${S.bank}，TEL ${S.intlPhone}。`,
  mixed`PM ${S.romanName} 的 Slack token ${S.token} 已經停用，新的 pwd: ${S.password}。`,
  zh`訂單${S.order}已於${S.date}出貨，追蹤號碼${S.tracking}，共${S.quantity}。`,
  en`Version ${S.version} released ${S.date}; ${S.quantity}; order ${S.order}; tracking ${S.tracking}.`,
  zh`錯誤：身分證 ${S.badId} 驗證失敗；卡號 ${S.notCard} 無效；發票 ${S.invoice}。`,
];
