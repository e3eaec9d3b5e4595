import assert from 'node:assert/strict'
import { type FleetStore, fleetStores } from './fleet-stores.js'
import { type Scenario, scenario } from './scenario.js'

const INSTANCES = 3
const CALLERS = 100

/** The fleet scenarios of one shared store: `fleet.<store>.shared-token` and `fleet.<store>.store-down`. */
function fleetScenarios(shared: FleetStore): Scenario[] {
  const slot = shared.slot === undefined ? {} : { appliesTo: () => shared.slot! }
  return [
    scenario(
      `fleet.${shared.id}.shared-token`,
      `${INSTANCES} instances, each with its own ${shared.name} store, ${CALLERS} concurrent callers each, cold cache: one request`,
      async (ctx) => {
        const { stores, close } = await shared.open(INSTANCES, ctx.clock)
        try {
          ctx.outputs.push(...stores)
          const instances = stores.map((store) => ctx.auth({ store }))
          const tokens = await Promise.all(instances.flatMap((auth) => Array.from({ length: CALLERS }, () => auth.getToken())))
          assert.equal(new Set(tokens.map((t) => ctx.seen(t).accessToken)).size, 1, `every caller of every instance should get the one token`)
          assert.equal(ctx.tokenRequests(), 1, `${INSTANCES} instances on one ${shared.name} should make one token request between them`)
          const fromStore = ctx.events.filter((e) => e.type === 'token_acquired' && e.source === 'store')
          assert.equal(fromStore.length, INSTANCES - 1, `every other instance should read the token from ${shared.name}`)
          assert.deepEqual(
            ctx.events.filter((e) => e.type === 'store_unavailable'),
            [],
          )
        } finally {
          await close()
        }
      },
      slot,
    ),

    scenario(
      `fleet.${shared.id}.store-down`,
      `${shared.unreachableAs ?? `a ${shared.name} store whose server is unreachable`}: getToken still succeeds, and store_unavailable is reported`,
      async (ctx) => {
        const { store, close } = await shared.unreachable()
        try {
          ctx.outputs.push(store)
          const auth = ctx.auth({ store })
          const tokens = await Promise.all(Array.from({ length: CALLERS }, () => auth.getToken()))
          assert.equal(new Set(tokens.map((t) => ctx.seen(t).accessToken)).size, 1)
          assert.equal(ctx.tokenRequests(), 1)
          assert.ok(
            ctx.events.some((e) => e.type === 'store_unavailable'),
            `a store_unavailable event should report the unreachable ${shared.name}`,
          )
        } finally {
          await close()
        }
      },
      slot,
    ),
  ]
}

export const fleet: Scenario[] = fleetStores.flatMap(fleetScenarios)
