/** Client-side navigation: push a path and let the router (App) re-render from `popstate`. */
export function navigate(path: string) {
	window.history.pushState(null, '', path)
	window.dispatchEvent(new PopStateEvent('popstate'))
}
