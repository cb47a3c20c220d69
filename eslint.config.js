import js from '@eslint/js'
import tseslint from 'typescript-eslint'

export default tseslint.config(
	{ ignores: ['dist/', 'node_modules/', 'data/', 'bench/results/', 'coverage/'] },
	js.configs.recommended,
	...tseslint.configs.recommended,
	{
		languageOptions: {
			globals: {
				console: 'readonly',
				process: 'readonly',
				window: 'readonly',
				document: 'readonly',
				setTimeout: 'readonly',
				clearTimeout: 'readonly',
				setInterval: 'readonly',
				clearInterval: 'readonly',
			},
		},
		rules: {
			'@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
			'no-restricted-syntax': [
				'error',
				{ selector: "CallExpression[callee.property.name='only']", message: 'No focused tests.' },
			],
		},
	},
	{
		// Imports point inward: shared/ imports neither client/ nor server/.
		files: ['shared/**/*.ts'],
		rules: {
			'no-restricted-imports': [
				'error',
				{ patterns: ['**/client/**', '**/server/**', '../client/*', '../server/*', 'react', 'react-dom', 'tldraw', '@tldraw/editor', '@tldraw/assets*'] },
			],
		},
	},
	{
		// The server never imports React or tldraw's UI.
		files: ['server/**/*.ts'],
		rules: {
			'no-restricted-imports': [
				'error',
				{ patterns: ['**/client/**', '../client/*', 'react', 'react-dom', 'tldraw', '@tldraw/editor', '@tldraw/assets*'] },
			],
		},
	},
)
