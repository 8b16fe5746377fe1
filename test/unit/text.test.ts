// The one clipping rule: what fits is untouched; what is cut shows it and stays within the limit.
import { clip } from '../../src/shared/text';

test('text within the limit is returned as it is', () => {
  expect(clip('hello', 5)).toBe('hello');
  expect(clip('', 3)).toBe('');
});

test('longer text is cut to exactly the limit, ending in an ellipsis', () => {
  const out = clip('The quarterly numbers are due on Friday', 12);
  expect(out).toBe('The quarter…');
  expect(out).toHaveLength(12);
});

test('trimEnd drops the space a cut leaves before the ellipsis', () => {
  expect(clip('Reply to Dana today please', 10)).toBe('Reply to …');
  expect(clip('Reply to Dana today please', 10, { trimEnd: true })).toBe('Reply to…');
});
