// Monaco 0.57 ships no .d.ts for its feature modules; the playground imports them for side effects only.
declare module 'monaco-editor/editor/contrib/*';
declare module 'monaco-editor/editor/browser/coreCommands';
declare module 'monaco-editor/languages/definitions/yaml/register';
declare module 'monaco-editor/features/*';
