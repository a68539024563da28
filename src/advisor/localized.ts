/** Every user-facing text of the advisor exists in English and Traditional Chinese. */
export const LANGUAGES = ['en', 'zh-TW'] as const;
export type Language = (typeof LANGUAGES)[number];

export interface Localized {
  en: string;
  'zh-TW': string;
}

export function localize(text: Localized, language: Language): string {
  return text[language];
}

/** Shorthand for writing a bilingual text inline: `l('Cost', '成本')`. */
export function l(en: string, zhTW: string): Localized {
  return { en, 'zh-TW': zhTW };
}

/** Replaces `{name}` placeholders; both languages use the same placeholder names. */
export function fill(text: Localized, values: Record<string, string | number>): Localized {
  const replace = (template: string): string =>
    template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in values ? String(values[name]) : whole));
  return { en: replace(text.en), 'zh-TW': replace(text['zh-TW']) };
}
