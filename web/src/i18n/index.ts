import { signal } from '@preact/signals';
import { en, type MessageKey } from './en.js';
import { zhTW } from './zh-tw.js';

export const LANGUAGES = ['en', 'zh-TW'] as const;
export type Language = (typeof LANGUAGES)[number];
export type { MessageKey };

export const MESSAGES: Record<Language, Record<MessageKey, string>> = { en, 'zh-TW': zhTW };

function initialLanguage(): Language {
  const saved = localStorage.getItem('switchyard.lang');
  if (saved === 'en' || saved === 'zh-TW') return saved;
  return navigator.language.toLowerCase().startsWith('zh') ? 'zh-TW' : 'en';
}

export const language = signal<Language>(initialLanguage());

export function setLanguage(next: Language): void {
  language.value = next;
  localStorage.setItem('switchyard.lang', next);
  document.documentElement.lang = next;
}

/** The message in the current language, with `{name}` placeholders filled. */
export function t(key: MessageKey, values: Record<string, string | number> = {}): string {
  return MESSAGES[language.value][key].replace(/\{(\w+)\}/g, (whole, name: string) => (name in values ? String(values[name]) : whole));
}

/** Numbers and times in the current language's conventions. */
export const formatNumber = (value: number, digits = 0): string =>
  value.toLocaleString(language.value, { maximumFractionDigits: digits, minimumFractionDigits: digits });
export const formatTime = (iso: string): string => new Date(iso).toLocaleString(language.value, { hour12: false });
