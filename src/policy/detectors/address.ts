import { DIGIT_TRIGGERS, type DetectedSpan, type Detector } from './detector.js';
import { forEachMatch } from './text-context.js';
import { defineDetector } from './detector-definition.js';

/** Taiwan's 22 counties and special municipalities (plus the pre-2010 and 台/臺 spellings). */
const CITIES = [
  '臺北市', '台北市', '新北市', '桃園市', '臺中市', '台中市', '臺南市', '台南市', '高雄市', '基隆市', '新竹市',
  '嘉義市', '新竹縣', '苗栗縣', '彰化縣', '南投縣', '雲林縣', '嘉義縣', '屏東縣', '宜蘭縣', '花蓮縣', '臺東縣',
  '台東縣', '澎湖縣', '金門縣', '連江縣', '桃園縣', '臺北縣', '台北縣', '臺中縣', '台中縣', '臺南縣', '台南縣', '高雄縣',
].join('|');

const HAN = String.raw`[\u4e00-\u9fff]`;
const ZH_DIGITS = String.raw`[一二三四五六七八九十]`;
/** From the road down: road, section, lane, alley, number (required), floor, room. */
const ZH_STREET =
  String.raw`(?:${HAN}{1,3}?[村里])?(?: ?\d{1,3} ?鄰)?` +
  String.raw`${HAN}{1,6}?(?:大道|路|街)` +
  String.raw`(?:${ZH_DIGITS}{1,3}段| ?\d{1,2} ?段)?(?: ?\d{1,4} ?巷)?(?: ?\d{1,4} ?弄)?` +
  String.raw` ?\d{1,5}(?:[-之]\d{1,4})? ?號(?:之\d{1,4})?` +
  // Floor (5樓, 5F, 五樓), its unit (之1, -1), basements (B2, 地下一樓) and a room (12室).
  String.raw`(?: ?(?:(?:\d{1,3}|${ZH_DIGITS}{1,3}) ?(?:樓|F|f)(?:之\d{1,4}|-\d{1,3})?|地下${ZH_DIGITS}{1,2}樓|地下室|B\d{1,2}(?:樓|F)?(?![\w]))(?:之\d{1,3})?)?(?: ?\d{1,4} ?室)?`;

/**
 * Chinese addresses start at a county/city from the closed list (optionally after a postal
 * code), or right after an address keyword when the city is omitted. Without such an anchor
 * the start of a district name cannot be told from the word before it.
 */
const ZH_ADDRESS = new RegExp(
  String.raw`(?<!\d)(?:\d{3}(?:\d{2,3})?\s?)?(?:${CITIES})(?:${HAN}{1,3}?[區鄉鎮市])?${ZH_STREET}` +
    // Keyword-anchored form: the keyword is consumed and the address is capture group 1.
    String.raw`|(?:地址|住址|住所|寄至|寄到|送至|送到|位於|地點|住在)(?:改為|為|是|在)?[:：]?\s?[「『"“(（]?(?![為是在至於改])((?:${HAN}{1,3}?[區鄉鎮市])?${ZH_STREET})`,
  'g',
);

const CAP_WORD = String.raw`[A-Z][a-z]*(?:['’][a-z]+)?\.?`;
/** A place-name word, apostrophes allowed (Da'an). */
const PLACE = String.raw`[A-Z][a-z]+(?:['’][a-z]+)?`;
const EN_ROAD_SUFFIX = String.raw`(?:Rd|Road|St|Street|Ave|Avenue|Blvd|Boulevard|Expy|Expressway|Hwy|Highway)\.?`;

/** English-format Taiwanese address: floor, No., Aly., Ln., Sec., road, district, city, country. */
const EN_TW_ADDRESS = new RegExp(
  String.raw`(?<![\w])(?:(?:\d{1,3}F\.?(?:-\d{1,2})?|B\d{1,2}|(?:Rm|Room|Unit)\.?\s?\d{1,4}(?:-\d{1,3})?|\d{1,3}(?:st|nd|rd|th)\sFl\.?),\s?){0,3}` +
    String.raw`No\.\s?\d{1,5}(?:-\d{1,4})?,\s?(?:Aly\.\s?\d{1,4},\s?)?(?:Ln\.\s?\d{1,4},\s?)?(?:Sec\.\s?\d{1,2},\s?)?` +
    String.raw`(?:${CAP_WORD}\s){1,3}${EN_ROAD_SUFFIX},\s?` +
    String.raw`(?:${PLACE}(?:\s${PLACE})?\s(?:Dist|District|Township|Twp)\.?,\s?)?` +
    String.raw`${PLACE}(?:\s${PLACE}){0,2}\s(?:City|County)(?:\s\d{3}(?:\d{2,3})?)?` +
    String.raw`(?:,\s?Taiwan(?:\s\(R\.O\.C\.\))?)?`,
  'g',
);

const US_ROAD_SUFFIX = String.raw`(?:Street|St|Avenue|Ave|Road|Rd|Boulevard|Blvd|Drive|Dr|Lane|Ln|Way|Court|Ct|Place|Pl|Parkway|Pkwy|Terrace|Ter|Highway|Hwy|Circle|Cir|Square|Sq)\.?`;

/** US street address: number, street, optional suite, city, state, ZIP, optional country. */
const US_ADDRESS = new RegExp(
  String.raw`(?<![\w-])\d{1,6}\s(?:[NSEW]\.?\s)?(?:[A-Z][a-z]+\s){1,3}${US_ROAD_SUFFIX}` +
    String.raw`(?:,?\s(?:Suite|Ste\.?|Apt\.?|Unit|Floor|Fl\.?|Room|Rm\.?|#)\s?[\w-]{1,6})?` +
    String.raw`,\s(?:[A-Z][a-z]+\s){0,2}[A-Z][a-z]+,\s[A-Z]{2}\s\d{5}(?:-\d{4})?` +
    String.raw`(?:,\s(?:USA|U\.S\.A\.|United States(?: of America)?))?(?![\w])`,
  'g',
);

/** Full street addresses (down to the number) in Taiwanese Chinese, Taiwanese English and US formats. */
export const addressDetector: Detector = {
  id: 'address',
  entity: 'ADDRESS',
  triggers: DIGIT_TRIGGERS,
  detect(text) {
    const spans: DetectedSpan[] = [];
    for (const pattern of [ZH_ADDRESS, EN_TW_ADDRESS, US_ADDRESS]) {
      forEachMatch(pattern, text, (match) => {
        const end = match.index + match[0].length;
        const anchored = match[1];
        spans.push({ start: anchored === undefined ? match.index : end - anchored.length, end, score: 0.92 });
      });
    }
    spans.sort((left, right) => left.start - right.start || right.end - left.end);
    const result: DetectedSpan[] = [];
    for (const span of spans) {
      const last = result[result.length - 1];
      if (last !== undefined && span.start < last.end) continue;
      result.push(span);
    }
    return result;
  },
};

/** Built-in definition: address spans imply `confidential` unless `policy.entity_classes` says otherwise. */
export const addressDefinition = defineDetector(addressDetector, 'confidential');
