/** The playground's entry: theme, then the app element (Monaco and the engine load lazily behind it). */
import './theme.css';
import './components/pp-playground/pp-playground.js';

const prefersDark = window.matchMedia?.('(prefers-color-scheme: dark)').matches;
document.documentElement.dataset.theme ??= prefersDark ? 'dark' : 'light';

const app = document.createElement('pp-playground');
app.theme = document.documentElement.dataset.theme === 'dark' ? 'dark' : 'light';
document.body.append(app);
(window as unknown as { packetPath: unknown }).packetPath = app;
