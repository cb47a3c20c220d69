import './zodConfig'
import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import 'tldraw/tldraw.css'
import './ui/app.css'
import { App } from './App'

const rootElement = document.getElementById('root')
if (!rootElement) throw new Error('#root element missing from index.html')
createRoot(rootElement).render(
	<StrictMode>
		<App />
	</StrictMode>,
)
