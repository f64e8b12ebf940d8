import { useLanguage } from '../i18n/language.tsx';

export function ErrorBanner({ detail, onRetry }: { detail: string; onRetry: () => void }) {
  const { t } = useLanguage();
  return (
    <div className="error-banner" role="alert">
      <strong>{t.apiUnreachable}</strong>
      <span>{t.apiUnreachableDetail}</span>
      <code>{detail}</code>
      <button type="button" onClick={onRetry}>
        {t.retry}
      </button>
    </div>
  );
}
