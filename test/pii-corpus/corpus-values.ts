import type { Rng } from './corpus-random.js';

/**
 * Value generators by format family. Both splits draw from these (the families are what must
 * generalise); the splits differ in templates, contexts and seeds. Checksums are computed here
 * independently of the detectors' code.
 */

const ZH_SURNAMES = ['陳', '林', '黃', '張', '李', '王', '吳', '劉', '蔡', '楊', '許', '鄭', '謝', '郭', '洪', '曾', '邱', '廖', '賴', '周', '徐', '蘇', '葉', '莊', '呂', '江', '何', '蕭', '羅', '高', '潘', '簡', '朱', '鍾', '彭', '游', '詹', '胡', '施', '沈', '余', '趙', '盧', '梁', '顏', '柯', '翁', '魏', '孫', '戴', '歐陽', '司馬'];
const ZH_GIVEN = ['志明', '淑芬', '雅婷', '冠宇', '怡君', '家豪', '宗翰', '欣怡', '承恩', '佳穎', '俊傑', '美玲', '建宏', '郁婷', '柏翰', '詩涵', '宜蓁', '偉倫', '品妤', '思妤', '子涵', '彥廷', '鈺婷', '哲瑋', '秀英', '文雄', '靜宜', '嘉玲', '國華', '明德', '玉珍', '麗華', '振宇', '芷若', '宥辰', '語彤', '昱安', '秉諺', '沛珊', '瑞祥'];
const PINYIN = ['Mei-Ling', 'Wei-Chen', 'Ya-Ting', 'Chih-Ming', 'Shu-Fen', 'Chia-Hao', 'Yi-Chun', 'Tsung-Han', 'Hsin-Yi', 'Po-Han', 'Yu-Ting', 'Chun-Chieh', 'Pei-Shan', 'Kuan-Yu', 'Hui-Min', 'Jia-Hong', 'Szu-Yu', 'Yen-Ting', 'Ching-Wen', 'Kai-Lun'];
const PINYIN_SURNAMES = ['Lin', 'Chen', 'Chang', 'Huang', 'Wang', 'Lee', 'Wu', 'Liu', 'Tsai', 'Yang', 'Hsu', 'Cheng', 'Hsieh', 'Kuo', 'Hung', 'Tseng', 'Chiu', 'Liao', 'Lai', 'Chou', 'Su', 'Yeh', 'Chuang', 'Lu', 'Chiang', 'Ho', 'Hsiao', 'Lo', 'Kao', 'Pan', 'Chien'];
const WESTERN_GIVEN = ['Emily', 'James', 'Olivia', 'Michael', 'Sarah', 'David', 'Hannah', 'Robert', 'Laura', 'Daniel', 'Rachel', 'Thomas', 'Megan', 'Kevin', 'Anna', 'Brian', 'Chloe', 'Patrick', 'Grace', 'Samuel', 'Fiona', 'Victor', 'Nora', 'Oscar'];
const WESTERN_SURNAMES = ['Carter', 'Thompson', 'Walker', 'Hughes', 'Bennett', 'Foster', 'Reynolds', 'Morgan', 'Sullivan', 'Fischer', 'Novak', 'Dubois', 'Keller', 'Russo', 'Jensen', 'Harper', 'Coleman', 'Brooks', 'Wallace', 'Fleming'];

export function zhName(rng: Rng): string {
  const surname = rng.pick(ZH_SURNAMES);
  const given = rng.pick(ZH_GIVEN);
  return surname + (rng.chance(0.12) ? given.slice(0, 1) : given);
}

/** Romanised Chinese names in the orders and cases real documents use. */
export function romanisedName(rng: Rng): string {
  const surname = rng.pick(PINYIN_SURNAMES);
  const given = rng.pick(PINYIN);
  switch (rng.int(0, 5)) {
    case 0: return `${given} ${surname}`;
    case 1: return `${surname}, ${given}`;
    case 2: return `${given} ${surname.toUpperCase()}`;
    case 3: return `${surname.toUpperCase()} ${given}`;
    case 4: return `${surname} ${given}`;
    default: return `${surname.toUpperCase()}, ${given.toUpperCase()}`;
  }
}

export function westernName(rng: Rng): string {
  const given = rng.pick(WESTERN_GIVEN);
  const surname = rng.pick(WESTERN_SURNAMES);
  if (rng.chance(0.15)) return `${surname}, ${given}`;
  if (rng.chance(0.15)) return `${given} ${String.fromCharCode(65 + rng.int(0, 25))}. ${surname}`;
  return `${given} ${surname}`;
}

export function anyLatinName(rng: Rng): string {
  return rng.chance(0.5) ? romanisedName(rng) : westernName(rng);
}

const AREA: Readonly<Record<string, number>> = { A: 10, B: 11, C: 12, D: 13, E: 14, F: 15, G: 16, H: 17, I: 34, J: 18, K: 19, L: 20, M: 21, N: 22, O: 35, P: 23, Q: 24, R: 25, S: 26, T: 27, U: 28, V: 29, W: 32, X: 30, Y: 31, Z: 33 };
const WEIGHTS = [1, 9, 8, 7, 6, 5, 4, 3, 2, 1, 1];

function idWithCheck(letter: string, second: number, body: string): string {
  const area = AREA[letter] ?? 10;
  const digits = [Math.floor(area / 10), area % 10, second, ...body.split('').map(Number)];
  let sum = 0;
  for (let index = 0; index < 10; index += 1) sum += (digits[index] ?? 0) * (WEIGHTS[index] ?? 0);
  const check = (10 - (sum % 10)) % 10;
  return `${letter}${second}${body}${check}`;
}

const LETTERS = 'ABCDEFGHJKLMNPQRSTUVXYWZIO';

export function nationalId(rng: Rng): string {
  return idWithCheck(rng.pick([...LETTERS]), rng.int(1, 2), rng.digits(7));
}

export function invalidNationalId(rng: Rng): string {
  const valid = nationalId(rng);
  const last = Number(valid.slice(-1));
  return valid.slice(0, -1) + String((last + rng.int(1, 9)) % 10);
}

export function residentId(rng: Rng): string {
  return idWithCheck(rng.pick([...LETTERS]), rng.int(8, 9), rng.digits(7));
}

export function ubn(rng: Rng): string {
  const weights = [1, 2, 1, 2, 1, 2, 4, 1];
  for (;;) {
    const candidate = rng.digits(8);
    let sum = 0;
    for (let index = 0; index < 8; index += 1) {
      const product = Number(candidate[index]) * (weights[index] ?? 0);
      sum += Math.floor(product / 10) + (product % 10);
    }
    if (sum % 10 === 0) return candidate;
  }
}

function luhnComplete(prefix: string, length: number, rng: Rng): string {
  let body = prefix + rng.digits(length - prefix.length - 1);
  let sum = 0;
  for (let index = 0; index < body.length; index += 1) {
    let value = Number(body[body.length - 1 - index]);
    if (index % 2 === 0) {
      value *= 2;
      if (value > 9) value -= 9;
    }
    sum += value;
  }
  body += String((10 - (sum % 10)) % 10);
  return body;
}

export function cardNumber(rng: Rng): string {
  const digits = luhnComplete(rng.pick(['4', '4', '51', '53', '55', '2221', '3528', '3566']), 16, rng);
  const grouping = rng.int(0, 3);
  if (grouping === 0) return digits;
  const separator = grouping === 1 ? ' ' : '-';
  return digits.match(/.{4}/g)?.join(separator) ?? digits;
}

export function mobile(rng: Rng): string {
  const body = `09${rng.digits(2)}${rng.digits(6)}`;
  switch (rng.int(0, 3)) {
    case 0: return `${body.slice(0, 4)}-${body.slice(4, 7)}-${body.slice(7)}`;
    case 1: return body;
    case 2: return `${body.slice(0, 4)} ${body.slice(4, 7)} ${body.slice(7)}`;
    default: return `${body.slice(0, 4)}-${body.slice(4)}`;
  }
}

export function landline(rng: Rng): string {
  const area = rng.pick(['02', '03', '04', '05', '06', '07']);
  const local = area === '02' ? `2${rng.digits(3)}-${rng.digits(4)}` : `${rng.int(2, 8)}${rng.digits(2)}-${rng.digits(4)}`;
  return rng.chance(0.5) ? `(${area})${rng.chance(0.3) ? ' ' : ''}${local}` : `${area}-${local}`;
}

/** +886 forms with and without parentheses or separators. */
export function internationalPhone(rng: Rng): string {
  if (rng.chance(0.5)) {
    const body = `9${rng.digits(8)}`;
    switch (rng.int(0, 3)) {
      case 0: return `+886-${body.slice(0, 3)}-${body.slice(3, 6)}-${body.slice(6)}`;
      case 1: return `+886 ${body.slice(0, 3)} ${body.slice(3, 6)} ${body.slice(6)}`;
      case 2: return `+886${body}`;
      default: return `+886 (0)${body.slice(0, 3)}-${body.slice(3, 6)}-${body.slice(6)}`;
    }
  }
  const area = String(rng.int(2, 7));
  const local = area === '2' ? `2${rng.digits(3)}${rng.digits(4)}` : `${rng.int(2, 8)}${rng.digits(6)}`;
  switch (rng.int(0, 3)) {
    case 0: return `+886-${area}-${local.slice(0, 4)}-${local.slice(4)}`;
    case 1: return `+886 (${area}) ${local.slice(0, 4)}-${local.slice(4)}`;
    case 2: return `+886 ${area} ${local.slice(0, 4)} ${local.slice(4)}`;
    default: return `(+886) ${area}-${local.slice(0, 4)}-${local.slice(4)}`;
  }
}

export function usPhone(rng: Rng): string {
  const area = `${rng.int(2, 9)}${rng.digits(2)}`;
  const body = `555-0${rng.digits(3)}`;
  return rng.pick([`+1 (${area}) ${body}`, `+1-${area}-${body}`, `(${area}) ${body}`, `+1 ${area} ${body.replace('-', ' ')}`]);
}

export function extension(rng: Rng, language: 'zh' | 'en'): string {
  const digits = rng.digits(rng.int(2, 4));
  return language === 'zh' ? rng.pick([` 分機 ${digits}`, ` 分機${digits}`, `#${digits}`, ` 轉${digits}`]) : rng.pick([` ext. ${digits}`, ` x${digits}`, ` ext ${digits}`, ` Ext. ${digits}`]);
}

export function phone(rng: Rng, language: 'zh' | 'en'): string {
  const roll = rng.next();
  let number: string;
  if (roll < 0.35) number = mobile(rng);
  else if (roll < 0.6) number = landline(rng);
  else if (roll < 0.9) number = internationalPhone(rng);
  else number = usPhone(rng);
  const landlineLike = !/^\+?886 ?-?9|^09|^\+886\d/.test(number);
  return landlineLike && rng.chance(0.4) ? number + extension(rng, language) : number;
}

const BANK_CODES = ['004', '005', '006', '007', '008', '009', '011', '012', '013', '017', '050', '052', '081', '103', '700', '803', '805', '806', '807', '808', '812', '822'];

/** Accounts with an attached 3-digit bank code (space or dash), grouping dashes, or bare. */
export function bankAccount(rng: Rng): string {
  const length = rng.int(10, 14);
  const digits = rng.digits(length);
  const code = rng.pick(BANK_CODES);
  const grouped = (value: string) => {
    const cut = rng.int(3, 4);
    return `${value.slice(0, cut)}-${value.slice(cut, cut + 4)}-${value.slice(cut + 4)}`;
  };
  switch (rng.int(0, 5)) {
    case 0: return `${code}-${digits}`;
    case 1: return `${code} ${digits}`;
    case 2: return `${code}-${grouped(digits)}`;
    case 3: return `(${code}) ${grouped(digits)}`;
    case 4: return grouped(digits);
    default: return digits;
  }
}

const DISTRICTS: ReadonlyArray<[string, string, string, string]> = [
  ['臺北市', '大安區', 'Taipei City', "Da'an Dist."],
  ['臺北市', '信義區', 'Taipei City', 'Xinyi Dist.'],
  ['臺北市', '中山區', 'Taipei City', 'Zhongshan Dist.'],
  ['新北市', '板橋區', 'New Taipei City', 'Banqiao Dist.'],
  ['新北市', '新店區', 'New Taipei City', 'Xindian Dist.'],
  ['桃園市', '中壢區', 'Taoyuan City', 'Zhongli Dist.'],
  ['臺中市', '西屯區', 'Taichung City', 'Xitun Dist.'],
  ['臺南市', '東區', 'Tainan City', 'East Dist.'],
  ['高雄市', '前鎮區', 'Kaohsiung City', 'Qianzhen Dist.'],
  ['新竹市', '東區', 'Hsinchu City', 'East Dist.'],
];
const ZH_ROADS = ['忠孝東路', '復興南路', '中山北路', '民生東路', '文心路', '中正路', '光復路', '和平東路', '市府路', '成功路', '中華路', '建國北路'];
const EN_ROADS = ['Zhongxiao E. Rd.', 'Fuxing S. Rd.', 'Zhongshan N. Rd.', 'Minsheng E. Rd.', 'Wenxin Rd.', 'Zhongzheng Rd.', 'Guangfu Rd.', 'Heping E. Rd.', 'Shifu Rd.', 'Chenggong Rd.', 'Zhonghua Rd.', 'Jianguo N. Rd.'];
const ZH_SECTIONS = ['一', '二', '三', '四', '五'];

/** Chinese postal-order address with optional section/lane/alley and floor/room/basement suffixes. */
export function zhAddress(rng: Rng): string {
  const [city, district] = rng.pick(DISTRICTS);
  let address = rng.chance(0.3) ? `${rng.int(100, 999)}${city}` : city;
  address += district + rng.pick(ZH_ROADS);
  if (rng.chance(0.5)) address += `${rng.pick(ZH_SECTIONS)}段`;
  if (rng.chance(0.35)) address += `${rng.int(1, 300)}巷`;
  if (rng.chance(0.2)) address += `${rng.int(1, 40)}弄`;
  address += `${rng.int(1, 600)}${rng.chance(0.15) ? `之${rng.int(1, 9)}` : ''}號`;
  switch (rng.int(0, 6)) {
    case 0: address += `${rng.int(2, 25)}樓`; break;
    case 1: address += `${rng.int(2, 25)}樓之${rng.int(1, 12)}`; break;
    case 2: address += `${rng.int(2, 25)}F-${rng.int(1, 12)}`; break;
    case 3: address += `B${rng.int(1, 3)}`; break;
    case 4: address += `${rng.int(2, 25)}樓${rng.int(1, 20)}室`; break;
    case 5: address += `地下${rng.pick(['一', '二'])}樓`; break;
    default: break;
  }
  return address;
}

/** Romanised Taiwanese address in postal order (Rm./F./No./Aly./Ln./Sec./Rd./Dist./City). */
export function enTwAddress(rng: Rng): string {
  const [, , city, district] = rng.pick(DISTRICTS);
  const parts: string[] = [];
  if (rng.chance(0.3)) parts.push(`Rm. ${rng.int(1, 20)}`);
  const floor = rng.int(2, 25);
  switch (rng.int(0, 4)) {
    case 0: parts.push(`${floor}F.`); break;
    case 1: parts.push(`${floor}F.-${rng.int(1, 9)}`); break;
    case 2: parts.push(`${floor}F-${rng.int(1, 9)}`); break;
    case 3: parts.push(`B${rng.int(1, 3)}`); break;
    default: break;
  }
  parts.push(`No. ${rng.int(1, 600)}${rng.chance(0.15) ? `-${rng.int(1, 9)}` : ''}`);
  if (rng.chance(0.2)) parts.push(`Aly. ${rng.int(1, 40)}`);
  if (rng.chance(0.35)) parts.push(`Ln. ${rng.int(1, 300)}`);
  const road = rng.pick(EN_ROADS);
  const section = rng.chance(0.5) ? `Sec. ${rng.int(1, 5)}` : undefined;
  if (section !== undefined) parts.push(section);
  parts.push(road, district);
  parts.push(rng.chance(0.5) ? `${city} ${rng.int(100, 999)}` : city);
  if (rng.chance(0.4)) parts.push(rng.pick(['Taiwan', 'Taiwan (R.O.C.)']));
  return parts.join(', ');
}

const US_STREETS = ['Market Street', 'Main St.', 'Oak Avenue', 'Pine St', 'Maple Ave.', 'Sunset Blvd', 'Lake Shore Drive', 'Elm Street', 'Mission St', 'Broadway', 'Cedar Lane', 'Park Road'];
const US_CITIES: ReadonlyArray<[string, string, string]> = [['San Francisco', 'CA', '941'], ['Seattle', 'WA', '981'], ['Austin', 'TX', '787'], ['Boston', 'MA', '021'], ['Chicago', 'IL', '606'], ['New York', 'NY', '100'], ['Portland', 'OR', '972'], ['Denver', 'CO', '802']];

export function usAddress(rng: Rng): string {
  const [city, state, zip] = rng.pick(US_CITIES);
  let address = `${rng.int(10, 9999)} ${rng.chance(0.2) ? `${rng.pick(['N.', 'S.', 'E.', 'W.'])} ` : ''}${rng.pick(US_STREETS)}`;
  if (rng.chance(0.4)) address += `, ${rng.pick(['Suite', 'Apt.', 'Unit', 'Ste.', '#'])} ${rng.int(1, 2400)}`;
  address += `, ${city}, ${state} ${zip}${rng.digits(2)}`;
  return address;
}

const FORMAL = ['零', '壹', '貳', '參', '肆', '伍', '陸', '柒', '捌', '玖'];

/** 新臺幣參萬伍仟元整 style: formal numerals with a currency word. */
export function formalAmount(rng: Rng): string {
  const tenThousands = rng.int(1, 99);
  const thousands = rng.int(0, 9);
  const hundreds = rng.int(0, 9);
  let value = '';
  if (tenThousands >= 10) value += `${FORMAL[Math.floor(tenThousands / 10)]}拾${tenThousands % 10 === 0 ? '' : FORMAL[tenThousands % 10]}萬`;
  else value += `${FORMAL[tenThousands]}萬`;
  if (thousands > 0) value += `${FORMAL[thousands]}仟`;
  if (hundreds > 0) value += `${thousands === 0 ? '零' : ''}${FORMAL[hundreds]}佰`;
  return `${rng.pick(['新臺幣', '新台幣', 'NT$'])}${value}元${rng.chance(0.7) ? '整' : ''}`;
}

export function amount(rng: Rng, language: 'zh' | 'en'): string {
  const value = rng.int(3, 9_999) * rng.pick([1, 10, 100, 1000]);
  const grouped = value.toLocaleString('en-US');
  if (language === 'en') return rng.pick([`NT$${grouped}`, `USD ${grouped}`, `$${grouped}`, `NTD ${grouped}`, `US$${grouped}`, `${grouped} TWD`]);
  return rng.pick([`新臺幣${grouped}元`, `NT$${grouped}`, `${grouped}元`, `新台幣${rng.int(2, 900)}萬元`, formalAmount(rng), `NTD ${grouped}`]);
}

export function email(rng: Rng, name: string): string {
  const local = name.toLowerCase().replace(/[^a-z]+/g, rng.pick(['.', '_', ''])).replace(/^[._]|[._]$/g, '') || `user${rng.digits(3)}`;
  return `${local}${rng.chance(0.3) ? rng.int(1, 99) : ''}@${rng.pick(['example.com.tw', 'corp.example.com', 'mail.example.org', 'hospital.example.tw', 'gmail.com'])}`;
}

export function ipv4(rng: Rng): string {
  return rng.pick([`10.${rng.int(0, 255)}.${rng.int(0, 255)}.${rng.int(1, 254)}`, `192.168.${rng.int(0, 255)}.${rng.int(1, 254)}`, `${rng.int(100, 223)}.${rng.int(0, 255)}.${rng.int(0, 255)}.${rng.int(1, 254)}`]);
}

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

export function randomToken(rng: Rng, length: number, alphabet = ALNUM): string {
  let token = '';
  for (let index = 0; index < length; index += 1) token += alphabet[rng.int(0, alphabet.length - 1)];
  return token;
}

/** Vendor credential formats (npm, Slack, Stripe, Google, Azure, AWS, GitHub, OpenAI …). */
export function vendorToken(rng: Rng): string {
  const upperDigits = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  switch (rng.int(0, 9)) {
    case 0: return `npm_${randomToken(rng, 36)}`;
    case 1: return `xoxb-${rng.digits(11)}-${rng.digits(12)}-${randomToken(rng, 24)}`;
    case 2: return `sk_live_${randomToken(rng, 24)}`;
    case 3: return `AIza${randomToken(rng, 35, `${ALNUM}_-`)}`;
    case 4: return `AKIA${randomToken(rng, 16, upperDigits)}`;
    case 5: return `ghp_${randomToken(rng, 36)}`;
    case 6: return `sk-proj-${randomToken(rng, 40)}`;
    case 7: return `rk_live_${randomToken(rng, 24)}`;
    case 8: return `xoxp-${rng.digits(11)}-${rng.digits(11)}-${rng.digits(12)}-${randomToken(rng, 32, '0123456789abcdef')}`;
    default: return `glpat-${randomToken(rng, 20)}`;
  }
}

/** An Azure storage account key (88 base64 characters ending in ==). */
export function azureKey(rng: Rng): string {
  return `${randomToken(rng, 86, `${ALNUM}+/`)}==`;
}

export function password(rng: Rng): string {
  const words = ['Summer', 'Tiger', 'Blue', 'Ocean', 'Maple', 'Rocket', 'Panda', 'Coffee', 'Winter', 'Lotus'];
  return rng.pick([
    `${rng.pick(words)}${rng.int(10, 2099)}${rng.pick(['!', '@', '#', '$', '*'])}`,
    `${rng.pick(words).toLowerCase()}_${rng.pick(words)}${rng.int(1, 99)}`,
    randomToken(rng, rng.int(10, 16)),
    `${rng.pick(['P@ss', 'Qw3rty', 'Zx!'])}${rng.digits(4)}${rng.pick(words)}`,
  ]);
}
