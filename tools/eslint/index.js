// The ESLint plugins of eslint.config.js, re-exported from this workspace package.
// Why a package of its own: typescript-eslint's parser runs on TypeScript's JavaScript API, which
// TypeScript 7 (the project's tsc, a native binary) no longer ships; typescript-eslint supports
// TypeScript <6.1. Installed here, typescript-eslint and its peer `typescript@6.0` sit in
// tools/eslint/node_modules, so they resolve each other while the root keeps `typescript@7`.
// Parsing does not depend on the compiler version: tsc (7) stays the type checker.
export { default as js } from '@eslint/js';
export { default as tseslint } from 'typescript-eslint';
export { default as reactHooks } from 'eslint-plugin-react-hooks';
export { importX } from 'eslint-plugin-import-x';
export { default as globals } from 'globals';
