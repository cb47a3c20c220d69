import { DefaultStylePanel, useEditor, useValue, type TLUiStylePanelProps } from 'tldraw'

/**
 * tldraw's style panel, shown only while a shape is selected or a drawing tool is active:
 * open all the time it covers the top-right of the board (the roadmap frame).
 */
export function SelectionStylePanel(props: TLUiStylePanelProps) {
	const editor = useEditor()
	const needed = useValue('style panel needed', () => editor.getSelectedShapeIds().length > 0 || editor.getCurrentToolId() !== 'select', [editor])
	return needed ? <DefaultStylePanel {...props} /> : null
}
