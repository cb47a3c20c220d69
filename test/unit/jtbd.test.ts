import { describe, expect, it } from 'vitest'
import { jtbdStatusOf, looksLikeJtbd, parseJtbd, type JtbdParseResult } from '../../shared/items/jtbd'

type Row = [label: string, text: string, expected: JtbdParseResult]

const complete = (situation: string, motivation: string, outcome: string, persona?: string): JtbdParseResult =>
	persona === undefined
		? { status: 'complete', situation, motivation, outcome }
		: { status: 'complete', situation, motivation, outcome, persona }

const TABLE: Row[] = [
	// complete
	[
		'canonical',
		'When I onboard a new hire, I want to share a checklist, so I can get them productive fast',
		complete('I onboard a new hire', 'share a checklist', 'get them productive fast'),
	],
	[
		'so that',
		'When a build fails, I want to be notified, so that I can fix it before lunch.',
		complete('a build fails', 'be notified', 'fix it before lunch'),
	],
	[
		'so that + other subject',
		'When a release ships, we want to post notes, so that customers know what changed',
		complete('a release ships', 'post notes', 'customers know what changed'),
	],
	['so we can', 'When planning a sprint, we want to see capacity so we can commit realistically', complete('planning a sprint', 'see capacity', 'commit realistically')],
	['so they can', 'When they travel, they want to book offline so they can work on the plane', complete('they travel', 'book offline', 'work on the plane')],
	['lower case, no commas', 'when i export a report i want to pick columns so i can share only what matters', complete('i export a report', 'pick columns', 'share only what matters')],
	['UPPER CASE', 'WHEN I LOG IN, I WANT TO SEE MY TASKS, SO I CAN START WORKING', complete('I LOG IN', 'SEE MY TASKS', 'START WORKING')],
	['extra whitespace', '  When   it rains ,   I want to   stay dry ,  so I can   arrive presentable  ', complete('it rains', 'stay dry', 'arrive presentable')],
	['line breaks', 'When I review PRs\nI want to see the diff first\nso I can focus', complete('I review PRs', 'see the diff first', 'focus')],
	["I'd like to, curly apostrophe", 'When I pay, I’d like to save my card, so I can check out faster!', complete('I pay', 'save my card', 'check out faster')],
	['I would like to', 'When I travel, I would like to get offline maps, so that I can navigate without roaming', complete('I travel', 'get offline maps', 'navigate without roaming')],
	['I want (no to)', 'When I shop online, I want a fast checkout, so that I can get on with my day', complete('I shop online', 'a fast checkout', 'get on with my day')],
	['persona prefix', 'As a product manager, when a sprint ends, I want to see what shipped, so I can update stakeholders', complete('a sprint ends', 'see what shipped', 'update stakeholders', 'product manager')],
	['persona without comma', 'As an admin when a user leaves I want to revoke access so that data stays safe', complete('a user leaves', 'revoke access', 'data stays safe', 'admin')],
	['whenever', 'Whenever I join a call, I want to mute by default, so I can avoid embarrassment', complete('I join a call', 'mute by default', 'avoid embarrassment')],
	['"I want" inside the situation', 'When I want to relax, I want to play music, so I can unwind', complete('I want to relax', 'play music', 'unwind')],
	['quoted, semicolons, dash', '"When the invoice is late; I want to send a reminder — so that I get paid."', complete('the invoice is late', 'send a reminder', 'I get paid')],
	['in order to', 'When I onboard, I want to import contacts in order to save typing', complete('I onboard', 'import contacts', 'save typing')],
	['so that I can (subject stripped)', 'When I lose my phone, I want to lock it remotely, so that I can protect my data', complete('I lose my phone', 'lock it remotely', 'protect my data')],
	// incomplete
	['missing outcome', 'When I onboard a new hire, I want to share a checklist', { status: 'incomplete', missing: ['outcome'], parts: { situation: 'I onboard a new hire', motivation: 'share a checklist' } }],
	['missing motivation', 'When the app crashes, so that I can recover my work', { status: 'incomplete', missing: ['motivation'], parts: { situation: 'the app crashes', outcome: 'recover my work' } }],
	['missing situation (user story)', 'I want to export to CSV so that I can use Excel', { status: 'incomplete', missing: ['situation'], parts: { motivation: 'export to CSV', outcome: 'use Excel' } }],
	['empty outcome', 'When I log in, I want to see news, so I can', { status: 'incomplete', missing: ['outcome'], parts: { situation: 'I log in', motivation: 'see news' } }],
	['empty situation', 'When, I want to see news, so I can stay informed', { status: 'incomplete', missing: ['situation'], parts: { motivation: 'see news', outcome: 'stay informed' } }],
	['persona user story', 'As a PM, I want to see velocity so that I can plan', { status: 'incomplete', missing: ['situation'], parts: { persona: 'PM', motivation: 'see velocity', outcome: 'plan' } }],
	// not JTBD
	['plain idea', 'Dark mode for the dashboard', { status: 'not-jtbd' }],
	['only a want', 'I want to export to PDF', { status: 'not-jtbd' }],
	['only when', 'When in doubt, ask the customer', { status: 'not-jtbd' }],
	['"so" as an adverb', 'When it is so slow, customers leave', { status: 'not-jtbd' }],
	['empty', '', { status: 'not-jtbd' }],
	['punctuation only', '...!?', { status: 'not-jtbd' }],
]

describe('parseJtbd', () => {
	it('has a table of at least 25 rows', () => {
		expect(TABLE.length).toBeGreaterThanOrEqual(25)
	})

	it.each(TABLE)('%s', (_label, text, expected) => {
		expect(parseJtbd(text)).toEqual(expected)
	})

	it('never throws on hostile input and bounds its work', () => {
		const long = 'When '.repeat(50_000) + 'I want to ' + 'so that '.repeat(50_000)
		const start = performance.now()
		expect(() => parseJtbd(long)).not.toThrow()
		expect(performance.now() - start).toBeLessThan(500)
	})
})

describe('looksLikeJtbd', () => {
	it.each([
		['When I log in, I want to see my tasks, so I can start', true],
		['When I log in, I want to see my tasks', true],
		['As a PM, when I plan, I want velocity', true],
		['I want to export to CSV so that I can use Excel', false],
		['When in doubt, ask', false],
		['Dark mode', false],
	] as const)('%s → %s', (text, expected) => {
		expect(looksLikeJtbd(text)).toBe(expected)
	})
})

describe('jtbdStatusOf', () => {
	it('is complete only with all three parts', () => {
		expect(jtbdStatusOf({ situation: 'a', motivation: 'b', outcome: 'c' })).toEqual({ status: 'complete', missing: [] })
		expect(jtbdStatusOf({ situation: 'a', persona: 'p' })).toEqual({ status: 'incomplete', missing: ['motivation', 'outcome'] })
	})
})
