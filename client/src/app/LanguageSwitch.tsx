import { useLanguage } from '../i18n/language.tsx';
import { languages, messages } from '../i18n/messages.ts';

/** Both languages side by side, each named in itself, so either reader finds their own. */
export function LanguageSwitch() {
  const { language, setLanguage, t } = useLanguage();
  return (
    <div className="language-switch" role="group" aria-label={t.languageSwitchLabel}>
      {languages.map((option) => (
        <button
          key={option}
          type="button"
          lang={option}
          aria-pressed={option === language}
          onClick={() => setLanguage(option)}
        >
          {messages[option].languageName}
        </button>
      ))}
    </div>
  );
}
