// Entry point of the bundle (scripts/build-web.ts builds it into web/dist/app.js).
import { render } from 'preact';
import { App } from './App';

const root = document.getElementById('app');
if (root) render(<App />, root);
