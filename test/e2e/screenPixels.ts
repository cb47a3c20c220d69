/**
 * Reads what is on screen where the DOM cannot tell: pixels of a screenshot,
 * decoded by the browser itself in a blank page (no PNG decoder needed here).
 * Used for things drawn on canvases, such as other people's pointers.
 */
import type { Browser, Page } from 'playwright-core'

export interface Region {
	x: number
	y: number
	width: number
	height: number
}

/** How many pixels of `region` (screen coordinates of `page`) are within `tolerance` of the colour `hex` (#rrggbb). */
export async function countColorPixels(browser: Browser, page: Page, region: Region, hex: string, tolerance = 24): Promise<number> {
	const png = await page.screenshot({ clip: region })
	const decoder = await browser.newPage()
	try {
		return await decoder.evaluate(
			async ({ dataUrl, hex, tolerance }) => {
				const image = new Image()
				image.src = dataUrl
				await image.decode()
				const canvas = document.createElement('canvas')
				canvas.width = image.width
				canvas.height = image.height
				const ctx = canvas.getContext('2d')!
				ctx.drawImage(image, 0, 0)
				const { data } = ctx.getImageData(0, 0, canvas.width, canvas.height)
				const [r, g, b] = [1, 3, 5].map((i) => Number.parseInt(hex.slice(i, i + 2), 16)) as [number, number, number]
				let count = 0
				for (let i = 0; i < data.length; i += 4) {
					if (Math.abs(data[i]! - r) <= tolerance && Math.abs(data[i + 1]! - g) <= tolerance && Math.abs(data[i + 2]! - b) <= tolerance) count++
				}
				return count
			},
			{ dataUrl: `data:image/png;base64,${png.toString('base64')}`, hex, tolerance },
		)
	} finally {
		await decoder.close()
	}
}
