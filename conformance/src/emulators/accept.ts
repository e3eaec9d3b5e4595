/**
 * RFC 9110 §12.5.1 content negotiation, as far as a token endpoint needs it: whether an `Accept`
 * header admits at least one of the media types the operation answers with. A range with `q=0`
 * refuses; parameters such as `charset=utf-8` neither add nor take away.
 */
export function acceptAdmits(accept: string, offered: readonly string[]): boolean {
  const ranges = accept.split(',').map((part) => {
    const [range = '', ...params] = part.split(';').map((p) => p.trim().toLowerCase())
    const q = params.find((p) => p.startsWith('q='))
    return { range, refused: q !== undefined && Number(q.slice(2)) === 0 }
  })
  return offered.some((type) => {
    const [main] = type.split('/')
    return ranges.some(({ range, refused }) => !refused && (range === type || range === `${main}/*` || range === '*/*'))
  })
}
