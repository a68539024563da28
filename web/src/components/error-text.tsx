import { ApiError } from '../api.js';
import { t } from '../i18n/index.js';

/** An error in the page's language; the API's own message (English) follows for detail. */
export function errorText(error: unknown): string {
  if (error instanceof ApiError) return `${t('error.prefix', { status: error.status, code: error.code })} ${error.message}`;
  return String(error);
}

export function ErrorBox(props: { error: unknown }) {
  if (props.error === undefined || props.error === null) return null;
  return (
    <p class="error" role="alert">
      {errorText(props.error)}
    </p>
  );
}
