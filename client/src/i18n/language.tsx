import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import type { LocalizedText } from '../api/client.ts';
import { languages, messages, type Language, type Messages } from './messages.ts';

const storageKey = 'city-ops.language';

/** zh-CN unless the user chose otherwise on an earlier visit. */
function initialLanguage(): Language {
  try {
    const stored = window.localStorage.getItem(storageKey);
    if (stored && (languages as readonly string[]).includes(stored)) return stored as Language;
  } catch {
    // Storage can be blocked (private mode, policies); the default language still works.
  }
  return 'zh-CN';
}

interface LanguageState {
  language: Language;
  setLanguage: (language: Language) => void;
  t: Messages;
}

const LanguageContext = createContext<LanguageState | undefined>(undefined);

export function LanguageProvider({ children }: { children: ReactNode }) {
  const [language, setLanguageState] = useState<Language>(initialLanguage);
  const setLanguage = useCallback((next: Language) => {
    setLanguageState(next);
    try {
      window.localStorage.setItem(storageKey, next);
    } catch {
      // Not remembered, but switched for this visit.
    }
  }, []);
  const value = useMemo(() => ({ language, setLanguage, t: messages[language] }), [language, setLanguage]);
  useEffect(() => {
    // Screen readers and the browser's font fallback choose Chinese or Latin glyphs by this.
    document.documentElement.lang = language;
  }, [language]);
  return <LanguageContext.Provider value={value}>{children}</LanguageContext.Provider>;
}

export function useLanguage(): LanguageState {
  const state = useContext(LanguageContext);
  if (!state) throw new Error('useLanguage() needs a <LanguageProvider> above it.');
  return state;
}

/** A registry title in the current language. */
export function localized(text: LocalizedText, language: Language): string {
  return language === 'zh-CN' ? text.zh : text.en;
}
