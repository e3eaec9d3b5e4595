import { expect, test } from 'vitest'
import { closest, editDistance } from '../src/suggest.js'

test('a swapped pair of letters is one edit: jsno → json', () => {
  expect(editDistance('jsno', 'json')).toBe(1)
})

test('a missing letter is one edit and an extra one too', () => {
  expect([editDistance('jsn', 'json'), editDistance('jsoon', 'json')]).toEqual([1, 1])
})

test('the nearest option is suggested, a prefix names its option whole', () => {
  const options = ['env', 'base-url', 'json', 'header', 'account', 'store', 'help']
  expect(closest('hedaer', options)).toBe('header')
  expect(closest('base', options)).toBe('base-url')
  expect(closest('JSON', options)).toBe('json')
})

test('nothing is suggested when nothing is close', () => {
  expect(closest('password', ['env', 'base-url', 'json', 'header'])).toBeUndefined()
  expect(closest('x', ['env', 'json'])).toBeUndefined()
})
