/** The form where a bidder pastes the token or link the operator gave it. */
import { TOKEN_PATTERN } from '../bidder-storage.js';
import { el, replaceChildren } from '../dom.js';

/**
 * Extracts a token from what the bidder pasted: the bare token or a whole
 * bidder link ending in #token=... Returns null when neither fits.
 */
export function parseTokenInput(text: string): string | null {
  const trimmed = text.trim();
  const fromLink = /#(?:.*&)?token=([^&\s]+)/.exec(trimmed);
  const token = fromLink === null ? trimmed : decodeURIComponent(fromLink[1]);
  return TOKEN_PATTERN.test(token) ? token : null;
}

/** Renders the token form; onToken receives a well-formed token and may reject it with a message. */
export function tokenForm(onToken: (token: string) => Promise<string | null>): HTMLElement {
  const input = el('input', { id: 'token-input', name: 'token', type: 'password', autocomplete: 'off', spellcheck: 'false', 'data-test': 'token-input' });
  const error = el('p', { class: 'field-error', id: 'token-error', 'aria-live': 'polite', 'data-test': 'token-error' });
  const button = el('button', { type: 'submit', 'data-test': 'token-submit' }, 'Use this token');
  const form = el(
    'form',
    { class: 'token-form', 'data-test': 'token-form' },
    el('label', { for: 'token-input' }, 'Bidder token or bidder link'),
    el('p', { class: 'hint' }, 'The operator gives each bidder a personal link or token for this auction. It stays in this browser.'),
    input,
    error,
    button,
  );

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const token = parseTokenInput(input.value);
    if (token === null) {
      replaceChildren(error, 'This is not a bidder token: paste the token (letters, digits, - and _) or the whole link the operator sent you.');
      return;
    }
    button.disabled = true;
    replaceChildren(error);
    void onToken(token).then((problem) => {
      button.disabled = false;
      if (problem !== null) {
        replaceChildren(error, problem);
      }
    });
  });
  return form;
}
