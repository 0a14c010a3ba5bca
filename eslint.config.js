// The one architectural rule we enforce mechanically: only app/electron may import Electron.
// Everything else (engine, client, archive, search, export, CLI, worker, tests) must load under plain Node,
// where `require('electron')` throws on machines without the Electron binary.
import tseslint from 'typescript-eslint';

const electronBan = {
  paths: [{ name: 'electron', message: 'Only app/electron/ may import electron; keep this module runnable under plain Node.' }],
  patterns: [{ group: ['electron/*'], message: 'Only app/electron/ may import electron.' }],
};

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'out/', 'renderer/dist/', 'test-results/', '**/*.svelte'] },
  {
    files: ['**/*.ts', '**/*.js'],
    languageOptions: { parser: tseslint.parser },
    plugins: { '@typescript-eslint': tseslint.plugin },
    rules: {
      'no-restricted-imports': ['error', electronBan],
      '@typescript-eslint/no-restricted-imports': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['app/electron/**'],
    rules: { 'no-restricted-imports': 'off' },
  },
);
