// The plugin loader and the priority policy on their own: the samples load from a folder outside
// the package, files load in name order, a bad file is an error naming it, and the first plugin
// that answers decides while a throwing, slow or nonsensical one is skipped with its reason.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadPluginsFrom } from '../../src/plugins/loader';
import type { PluginItem } from '../../src/plugins/define';
import { pluginPriority, type PluginSkip } from '../../src/plugins/priority';
import { pluginTools, runPluginTool } from '../../src/plugins/tools';

const SAMPLES = path.resolve(__dirname, '../../samples/plugins');
const tempDir = () => fs.mkdtempSync(path.join(os.tmpdir(), 'paprika-plugins-'));

const item = (from: string): PluginItem => ({ source: 'imap', from, to: ['sam@acme.example'], subject: 'Hi', text: 'Hello', headers: {}, receivedAt: '2025-03-14T09:30:00Z' });

test('the samples load from a folder outside the package, in file-name order', async () => {
  const dir = tempDir();
  for (const f of fs.readdirSync(SAMPLES)) fs.copyFileSync(path.join(SAMPLES, f), path.join(dir, f));
  const loaded = await loadPluginsFrom(dir);
  expect(loaded.errors).toEqual([]);
  expect(loaded.plugins.map((p) => p.plugin.name)).toEqual(['boss-is-urgent', 'weather', 'status-page']);
  expect(await pluginPriority(loaded.plugins, item('boss@acme.example'), () => undefined)).toEqual({ priority: 'urgent', plugin: 'boss-is-urgent' });
  expect(await pluginPriority(loaded.plugins, item('someone@acme.example'), () => undefined)).toBeUndefined();

  const tools = pluginTools(loaded);
  expect([...tools.keys()]).toEqual(['weather__forecast', 'weather__post_to_team']);
  const forecast = tools.get('weather__forecast')!;
  expect(forecast.spec).toMatchObject({ effect: 'read', provider: 'plugin', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } });
  expect(tools.get('weather__post_to_team')!.spec.effect).toBe('side_effect');
  const ctx = { userId: 'u', taskId: 't', callId: 'c', signal: new AbortController().signal };
  expect(await runPluginTool(forecast, { city: 'Lyon' }, ctx)).toEqual({ ok: true, text: 'Forecast for Lyon: sunny, 21 °C' });
});

test('a file that does not compile, throws or exports no valid plugin is an error naming it; the rest load', async () => {
  const dir = tempDir();
  fs.writeFileSync(path.join(dir, 'a-syntax.ts'), 'export default {{');
  fs.writeFileSync(path.join(dir, 'b-throws.mjs'), "throw new Error('no network at import');");
  fs.writeFileSync(path.join(dir, 'c-nodefault.ts'), 'export const x = 1;');
  fs.writeFileSync(path.join(dir, 'd-good.js'), "module.exports = { name: 'good' };");
  fs.writeFileSync(path.join(dir, 'e-dup.mjs'), "export default { name: 'good' };");
  fs.writeFileSync(path.join(dir, 'f-feed.ts'), "export default { name: 'feedy', feeds: [{ name: 'x', every: 'soon', poll: () => [] }] };");
  fs.writeFileSync(path.join(dir, 'notes.txt'), 'not a plugin');
  const loaded = await loadPluginsFrom(dir);
  expect(loaded.plugins.map((p) => p.plugin.name)).toEqual(['good']);
  const byFile = Object.fromEntries(loaded.errors.map((e) => [path.basename(e.file), e.error]));
  expect(Object.keys(byFile)).toEqual(['a-syntax.ts', 'b-throws.mjs', 'c-nodefault.ts', 'e-dup.mjs', 'f-feed.ts']);
  for (const [file, error] of Object.entries(byFile)) expect(error.startsWith(path.join(dir, file))).toBe(true);
  expect(byFile['a-syntax.ts']).toMatch(/failed to load: .*\(line 1, column \d+\)/);
  expect(byFile['b-throws.mjs']).toContain('failed to load: no network at import');
  expect(byFile['c-nodefault.ts']).toContain('no default export');
  expect(byFile['e-dup.mjs']).toContain(`a plugin named "good" is already loaded from ${path.join(dir, 'd-good.js')}`);
  expect(byFile['f-feed.ts']).toContain('feeds.0.every');
});

test('a missing plugins folder is no plugins and no error', async () => {
  expect(await loadPluginsFrom(path.join(tempDir(), 'absent'))).toMatchObject({ plugins: [], errors: [] });
});

test('the first plugin that answers decides; throwing, slow and nonsensical ones are skipped with a reason', async () => {
  const p = (name: string, priority: (i: PluginItem) => unknown) => ({ file: `${name}.ts`, plugin: { name, priority: priority as never } });
  const seen: string[] = [];
  const plugins = [
    p('throws', () => {
      throw new Error('kaboom');
    }),
    p('slow', () => new Promise(() => undefined)),
    p('nonsense', () => 'very-high'),
    p('defers', () => undefined),
    p('mutates', (i) => {
      i.from = 'changed@example.com';
      return undefined;
    }),
    p('decides', (i) => (seen.push(i.from), 'low')),
    p('never-asked', () => 'urgent'),
  ];
  const skips: PluginSkip[] = [];
  const verdict = await pluginPriority(plugins, item('dana@acme.example'), (s) => {
    skips.push(s);
  }, 50);
  expect(verdict).toEqual({ priority: 'low', plugin: 'decides' });
  expect(seen).toEqual(['dana@acme.example']);
  expect(skips).toEqual([
    { plugin: 'throws', reason: 'kaboom' },
    { plugin: 'slow', reason: 'took longer than 0.05 s' },
    { plugin: 'nonsense', reason: 'returned "very-high", not urgent|high|normal|low|ignore' },
  ]);
});
