/**
 * Signals that come from the shape of the text rather than its wording: links and images to
 * hosts outside the allow-list (a rendered image leaks its URL's query string without a click),
 * discussion context (a question *about* attacks), quoted or retrieved regions (where an
 * instruction is indirect injection).
 */

const MARKDOWN_IMAGE = /!\[[^\]\n]{0,300}\]\(\s*<?((?:https?:)?\/\/[^\s)>]+)/g;
const HTML_IMAGE = /<img\b[^>]{0,300}?\bsrc\s*=\s*["']?((?:https?:)?\/\/[^\s"'>]+)/g;
const MARKDOWN_LINK = /(?<!!)\[[^\]\n]{0,300}\]\(\s*<?((?:https?:)?\/\/[^\s)>]+)/g;
const URL = /\b(?:https?:)?\/\/([a-z0-9.-]+)(?::\d+)?(\/[^\s)>"']*)?/;
/** A query value that is a template for data to fill in: {data}, [SECRET], $VAR, <x>, %s, ... */
const TEMPLATED = /[?&][\w.-]{1,40}=(?:\{|\[|\$|<|%s|%7b|%5b|\.\.\.|…)|\{(?:data|secret|history|conversation|summary|user|input|password|key|token|info|q|query|payload)[^}]{0,20}\}/i;

export interface LinkFinding {
  kind: 'image' | 'link';
  host: string;
  templated: boolean;
}

export function hostOf(url: string): string | undefined {
  return URL.exec(url)?.[1];
}

/** True when `host` is one of the allowed hosts or a subdomain of one (`example.com` allows `cdn.example.com`). */
export function hostAllowed(host: string, allowed: readonly string[]): boolean {
  for (const entry of allowed) {
    const bare = entry.replace(/^\*\./, '').toLowerCase();
    if (host === bare || host.endsWith(`.${bare}`)) return true;
  }
  return false;
}

/** Images and links in `text` whose host is outside the allow-list. Runs only when the text has `](` or `<img`. */
export function externalLinks(text: string, allowed: readonly string[]): LinkFinding[] {
  const findings: LinkFinding[] = [];
  const hasMarkdown = text.includes('](');
  const hasHtml = text.includes('<img');
  if (!hasMarkdown && !hasHtml) return findings;
  const visit = (pattern: RegExp, kind: LinkFinding['kind']) => {
    pattern.lastIndex = 0;
    for (let match = pattern.exec(text); match && findings.length < 20; match = pattern.exec(text)) {
      const url = match[1] ?? '';
      const host = hostOf(url);
      if (host === undefined || hostAllowed(host, allowed)) continue;
      findings.push({ kind, host, templated: TEMPLATED.test(url) });
    }
  };
  if (hasMarkdown) visit(MARKDOWN_IMAGE, 'image');
  if (hasHtml) visit(HTML_IMAGE, 'image');
  if (hasMarkdown) visit(MARKDOWN_LINK, 'link');
  return findings;
}

/** A bare URL with a templated query ("https://x.io/log?d={conversation}"), outside markdown. */
const BARE_TEMPLATED_URL = /\bhttps?:\/\/([a-z0-9.-]+)[^\s)>"']*?(?:[?&][\w.-]{1,40}=(?:\{|\[|\$|<|%s)|\{(?:data|secret|history|conversation|summary|user|input|password|key|token|info|payload)[^}]{0,20}\})/;

export function templatedUrlHost(text: string, allowed: readonly string[]): string | undefined {
  if (!text.includes('http')) return undefined;
  const match = BARE_TEMPLATED_URL.exec(text);
  const host = match?.[1];
  return host !== undefined && !hostAllowed(host, allowed) ? host : undefined;
}

/**
 * The text talks *about* attacks (asks what they are, how to detect or prevent them, quotes
 * training material) rather than carrying one. Lowers indirect signals; direct ones stay.
 */
const DISCUSSION =
  /\b(?:what (?:is|are|does)|explain (?:what|why|the difference|how (?:prompt|jailbreak|injection|attack|exfiltration))|how (?:do|can|should|would) (?:we|i|you|one|our|teams?)\b.{0,30}\b(?:detect|prevent|defend|protect|mitigate|test|handle|block|recogni[sz]e|spot|stop|filter|guard|respond|report|train|classify|write|evaluate)|awareness|training (?:material|deck|slide|course|session)|security (?:training|policy|awareness|team|review|guideline|question|deck|course|class|research|test(?:ing)?|report|checklist)|policy document|example(?:s)? of|red[- ]team|research(?:ers|ing)?|paper|article|course|slide|deck|quiz|classif(?:y|ier)|detect(?:ion|ing|or|s)?|mitigat\w*|defen[cs]es?|prevent(?:ion|ing)?|guidance|owasp|threat model|unit[- ]test|test cases?|what does .{0,40} mean|is it (?:safe|true|possible)|why (?:is|do|does|would)|warn(?:ing)? (?:users|staff|employees|colleagues)|reminder)\b|什麼是|什么是|如何(?:防範|防范|偵測|侦测|防止|避免|辨識|识别|辨別|辨别|測試|测试|處理|处理|應對|应对|預防|预防|阻擋|阻挡|過濾|过滤|檢測|检测|寫|写)|防範|防范|教育訓練|教育训练|宣導|宣导|資安(?:課程|训练|訓練|政策|規範|宣導|團隊|稽核|意識|测试|測試|報告)|简报|簡報|規範文件|政策文件|案例|舉例|举例|例子|範例|范例|是什麼意思|是什么意思|為什麼|为什么|怎麼判斷|怎么判断|測試案例|测试案例|單元測試|单元测试|提醒(?:同仁|大家|員工|员工)|偵測|侦测|攻擊手法|攻击手法|研究/u;

export function isDiscussion(folded: string): boolean {
  return DISCUSSION.test(folded);
}

const QUOTED = /"[^"\n]{1,2000}"|“[^”]{1,2000}”|「[^」]{1,2000}」|『[^』]{1,2000}』|‘[^’]{1,2000}’|```[\s\S]{0,16000}?```|`[^`\n]{1,800}`|(?:^|\n)>[^\n]{0,2000}/g;

/** Spans of quoted text, code and block quotes. */
export function quotedSpans(folded: string): Array<[number, number]> {
  const spans: Array<[number, number]> = [];
  QUOTED.lastIndex = 0;
  for (let match = QUOTED.exec(folded); match && spans.length < 200; match = QUOTED.exec(folded)) spans.push([match.index, match.index + match[0].length]);
  return spans;
}

const QUOTE_CHARS = new Set(['"', "'", '“', '”', '‘', '’', '「', '『', '`', '«', '‹']);

/** Inside a quoted span, or right after an opening quote (nested quotes defeat span pairing). */
export function inside(spans: ReadonlyArray<[number, number]>, index: number, text = ''): boolean {
  for (const [start, end] of spans) if (index > start && index < end) return true;
  let before = index - 1;
  while (before >= 0 && text[before] === ' ') before -= 1;
  return before >= 0 && QUOTE_CHARS.has(text[before] ?? '');
}

/** A labelled document, e-mail, web page or search result the user pasted in. */
const DOCUMENT_MARKER =
  /(?:^|\n)\s*(?:>|(?:document|doc|email|e-mail|mail|article|web ?page|page content|search results?|retrieved|context|source|attachment|review|comment|ticket|transcript|file|pdf|text|message|文件|郵件|邮件|信件|文章|網頁|网页|搜尋結果|搜索结果|檢索|检索|附件|評論|评论|留言|內文|内文|原文|客訴|工單|工单)(?:\s*(?:content|內容|内容|\d+))?\s*[:：])|(?:summari[sz]e|translate|proofread|review|analy[sz]e|classify|總結|摘要|翻譯|翻译|校對|校对|分析|整理)[^\n]{0,40}?(?:following|below|this|下列|以下|這封|这封|這篇|这篇|這段|这段)[^\n]{0,30}?[:：]/;

/** Index where pasted (untrusted) content starts, or -1. */
export function documentStart(folded: string): number {
  // Every marker ends in a colon (or is a block quote): most prompts have neither.
  if (!folded.includes(':') && !folded.includes('：') && !folded.includes('>')) return -1;
  const match = DOCUMENT_MARKER.exec(folded);
  return match ? match.index + match[0].length : -1;
}

/** The user asks to process quoted material (summarise, translate, review): the quote is data, not a request. */
const PROCESSING_TASK = /\b(?:summari[sz]e|translate|proofread|review|rewrite|paraphrase|analy[sz]e|classify|turn (?:this|it) into|check (?:this|the) (?:wording|grammar))\b|摘要|總結|总结|翻譯|翻译|校對|校对|改寫|改写|分析|整理|潤飾|润饰/u;

export function isProcessingTask(folded: string): boolean {
  return PROCESSING_TASK.test(folded);
}
