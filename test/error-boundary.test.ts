/**
 * The error boundary's rules: a render error becomes a message with a way on (never a blank
 * pane), and new data for the pane (its reset key) gives it another try.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { ErrorBoundary } from '../src/ui/ErrorBoundary.tsx';

test('a caught error is shown in words with Try again and the given actions; HTML in the message stays text', () => {
  const boundary = new ErrorBoundary({ name: 'the packet list', children: null, actions: createElement('button', { type: 'button' }, 'Reload') });
  boundary.state = {
    ...boundary.state,
    ...ErrorBoundary.getDerivedStateFromError(new TypeError("Cannot read properties of undefined (reading 'map') <b>x</b>")),
  };
  const html = renderToStaticMarkup(boundary.render() as never);
  assert.match(html, /role="alert"/);
  assert.match(html, /The packet list could not be shown:/);
  assert.match(html, /reading &#x27;map&#x27;\) &lt;b&gt;x&lt;\/b&gt;/);
  assert.match(html, />Try again<\/button>/);
  assert.match(html, />Reload<\/button>/);
});

test('a new reset key clears the error; the same key keeps it', () => {
  const error = new Error('boom');
  assert.equal(ErrorBoundary.getDerivedStateFromProps({ name: 'x', children: null, resetKey: 1 }, { error, resetKey: 1 }), null);
  assert.deepEqual(ErrorBoundary.getDerivedStateFromProps({ name: 'x', children: null, resetKey: 2 }, { error, resetKey: 1 }), { resetKey: 2, error: null });
  assert.equal(ErrorBoundary.getDerivedStateFromError('not an Error').error?.message, 'not an Error');
});
