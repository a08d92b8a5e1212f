/**
 * Marks storage never throws and never fails silently: without IndexedDB (as under Node, or
 * with site data blocked) every call resolves with a sentence; a full quota says so.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fingerprintForName, loadMarks, saveMarks, storageProblem } from '../src/ui/marks/marks-storage.ts';

test('with no IndexedDB at all, load and save resolve with the reason in words', async () => {
  assert.equal(typeof indexedDB, 'undefined');
  const loaded = await loadMarks('1-1-000000000000000000000000');
  assert.deepEqual(loaded, {
    ok: false,
    problem: 'this browser does not let the page keep data (site data blocked, or a private window), so marks are not saved',
  });
  const saved = await saveMarks('1-1-000000000000000000000000', { name: 'a.pcap', marks: [{ frame: 1, note: '' }], ranges: [], savedAt: '' });
  assert.equal(saved.ok, false);
  assert.equal(await fingerprintForName('a.pcap'), undefined);
});

test('each failure has its own words', () => {
  assert.match(storageProblem(new DOMException('The quota has been exceeded.', 'QuotaExceededError')), /storage for this site is full/);
  assert.match(storageProblem(new DOMException('denied', 'SecurityError')), /does not let the page keep data/);
  assert.match(storageProblem(new Error('timeout')), /did not answer/);
});
