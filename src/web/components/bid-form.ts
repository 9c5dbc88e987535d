/** The amount field and submit button, with the auction's range and precision checked as the bidder types. */
import { AmountError, toMinorUnits } from '../../client/amount.js';
import type { AuctionSettings } from '../../client/types.js';
import { el, replaceChildren } from '../dom.js';
import { describeRange } from '../format.js';

/** The bid form of one auction. */
export class BidForm {
  readonly element: HTMLFormElement;
  private readonly input: HTMLInputElement;
  private readonly error: HTMLElement;
  private readonly button: HTMLButtonElement;
  private readonly note: HTMLElement;
  private busy = false;
  private open = true;

  /** onSubmit receives the amount exactly as typed; the form never sends it anywhere itself. */
  constructor(
    private readonly settings: AuctionSettings,
    onSubmit: (amount: string) => Promise<void>,
  ) {
    this.input = el('input', {
      id: 'amount',
      name: 'amount',
      type: 'text',
      inputmode: 'decimal',
      autocomplete: 'off',
      'aria-describedby': 'amount-hint amount-error',
      'data-test': 'amount',
    });
    this.error = el('p', { class: 'field-error', id: 'amount-error', 'aria-live': 'polite', 'data-test': 'amount-error' });
    this.button = el('button', { type: 'submit', 'data-test': 'submit-bid' }, 'Seal and submit bid');
    this.note = el('p', { class: 'hint', 'data-test': 'form-note' });
    this.element = el(
      'form',
      { class: 'bid-form', 'data-test': 'bid-form', novalidate: true },
      el('label', { for: 'amount' }, 'Amount'),
      el('p', { class: 'hint', id: 'amount-hint' }, `${describeRange(settings)}. The amount is sealed in this browser and never sent in the clear.`),
      this.input,
      this.error,
      this.button,
      this.note,
    );

    this.input.addEventListener('input', () => this.showFieldError());
    this.element.addEventListener('submit', (event) => {
      event.preventDefault();
      void this.submit(onSubmit);
    });
  }

  /** Enables the form while the auction is open, otherwise shows why it is closed. */
  setOpen(open: boolean, reason: string): void {
    this.open = open;
    replaceChildren(this.note, open ? '' : reason);
    this.refresh();
  }

  /** Tells the bidder that a new bid replaces the one in force. */
  setReplacing(replacing: boolean): void {
    replaceChildren(this.button, replacing ? 'Seal and submit new bid (replaces your earlier bid)' : 'Seal and submit bid');
  }

  private async submit(onSubmit: (amount: string) => Promise<void>): Promise<void> {
    const amount = this.input.value;
    this.busy = true;
    this.refresh();
    try {
      await onSubmit(amount);
    } finally {
      this.busy = false;
      this.refresh();
    }
  }

  /** Clears the amount, so it does not stay on screen after sealing. */
  clear(): void {
    this.input.value = '';
    this.showFieldError();
  }

  private refresh(): void {
    this.input.disabled = !this.open || this.busy;
    this.button.disabled = !this.open || this.busy;
  }

  // An empty field is not flagged while typing; submitting it reports the problem in the panel.
  private showFieldError(): void {
    const text = this.input.value;
    let problem = '';
    if (text.trim() !== '') {
      try {
        toMinorUnits(text, this.settings, 'bid');
      } catch (error) {
        problem = capitalize(error instanceof AmountError ? error.message : String(error));
      }
    }
    this.input.setAttribute('aria-invalid', problem === '' ? 'false' : 'true');
    replaceChildren(this.error, problem);
  }
}

function capitalize(text: string): string {
  return text.length === 0 ? text : text[0].toUpperCase() + text.slice(1);
}
