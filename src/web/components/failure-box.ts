/** A box that shows one failure: what happened, the details and what to do. */
import { el } from '../dom.js';
import type { FailureMessage } from '../messages.js';

/** Renders a failure as an alert that screen readers announce. */
export function failureBox(failure: FailureMessage): HTMLElement {
  return el(
    'div',
    { class: 'notice notice-error', role: 'alert', 'data-test': 'failure', 'data-kind': failure.kind },
    el('p', { class: 'notice-title' }, failure.title),
    el('p', { 'data-test': 'failure-detail' }, failure.detail),
    el('p', { class: 'notice-action' }, failure.action),
  );
}

/** Renders a confirmation or information box. */
export function noticeBox(kind: 'ok' | 'info' | 'warn', title: string, ...lines: string[]): HTMLElement {
  return el('div', { class: `notice notice-${kind}`, role: 'status' }, el('p', { class: 'notice-title' }, title), ...lines.map((line) => el('p', {}, line)));
}
