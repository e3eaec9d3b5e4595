// @carrier-auth/opentelemetry installed beside a carrier, the OpenTelemetry API and the SDK's
// metrics, the way a user adds it: one copy of core arrives, and ESM, CommonJS and TypeScript
// consumers record a token request (`carrier_auth.token.requests`) against the carrier's emulator.
import { writeFile } from 'node:fs/promises'
import { join, relative } from 'node:path'
import { attempt, cellProblems, consumerTsconfig, FACTORIES } from './carrier.mjs'
import { diskSize, installedPackages, installInto, npmEnv, resolvedElsewhere } from './install.mjs'
import { BIN, exec, MINUTE } from './process.mjs'

const CARRIER = 'pitney-bowes'
const FACTORY = FACTORIES[CARRIER]
const SDK = 'AggregationTemporality, InMemoryMetricExporter, MeterProvider, PeriodicExportingMetricReader'

/** The consumer's body after its imports: one getToken(), then what the reader collected. */
const body = (load) => `${load}
const reader = new PeriodicExportingMetricReader({ exporter: new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE), exportIntervalMillis: 3600000 })
const auth = ${FACTORY}({ ...JSON.parse(process.env.REHEARSAL_CREDENTIALS), baseUrl: process.env.REHEARSAL_BASE_URL, onEvent: carrierAuthTelemetry({ meterProvider: new MeterProvider({ readers: [reader] }) }) })
auth.getToken().then(async () => {
  const { resourceMetrics } = await reader.collect()
  const names = resourceMetrics.scopeMetrics.flatMap((s) => s.metrics.map((m) => m.descriptor.name))
  process.stdout.write(names.includes(METRICS.requests) ? 'recorded ' + METRICS.requests : 'nothing recorded: ' + names.join(','))
}, (error) => { console.error(error); process.exitCode = 1 })
`

const SOURCES = {
  'consumer.mjs': body(`import { carrierAuthTelemetry, METRICS } from '@carrier-auth/opentelemetry'
import { ${FACTORY} } from '@carrier-auth/${CARRIER}'
import { ${SDK} } from '@opentelemetry/sdk-metrics'`),
  'consumer.cjs': body(`const { carrierAuthTelemetry, METRICS } = require('@carrier-auth/opentelemetry')
const { ${FACTORY} } = require('@carrier-auth/${CARRIER}')
const { ${SDK} } = require('@opentelemetry/sdk-metrics')`),
  'consumer.mts': `import { carrierAuthTelemetry, type CarrierAuthTelemetryOptions } from '@carrier-auth/opentelemetry'
import type { EventListener } from '@carrier-auth/core'
import { metrics } from '@opentelemetry/api'
const options: CarrierAuthTelemetryOptions = { meterProvider: metrics.getMeterProvider() }
export const onEvent: EventListener = carrierAuthTelemetry(options)
`,
  'tsconfig.json': consumerTsconfig(['consumer.mts']),
}

export async function rehearseTelemetry({ ctx, work, startEmulator }) {
  const specs = ['@carrier-auth/opentelemetry', `@carrier-auth/${CARRIER}`, '@opentelemetry/api', '@opentelemetry/sdk-metrics@^2']
  const dir = await installInto(join(work, 'opentelemetry'), specs, ctx)
  const row = { carrier: 'opentelemetry', packages: [], deps: false, size: 0, esm: false, cjs: false, tsc: false, token: false, problems: [] }
  const installed = await installedPackages(join(dir, 'node_modules'))
  row.packages = installed.map((p) => `${p.name}@${p.version}`)
  row.size = (await diskSize(join(dir, 'node_modules'))).bytes
  const cores = installed.filter((p) => p.name === '@carrier-auth/core')
  if (cores.length !== 1) row.problems.push(`${cores.length} copies of @carrier-auth/core: ${cores.map((p) => relative(dir, p.path)).join(', ')}`)
  // Of ours, only what was asked for and core: the telemetry package pulls no carrier or store.
  const ours = new Set(['@carrier-auth/core', '@carrier-auth/opentelemetry', `@carrier-auth/${CARRIER}`])
  const extra = installed.filter((p) => p.name.startsWith('@carrier-auth/') && !ours.has(p.name)).map((p) => p.name)
  if (extra.length) row.problems.push(`unexpected packages: ${extra.join(', ')}`)
  const elsewhere = await resolvedElsewhere(dir, ctx.registry)
  if (elsewhere.length) row.problems.push(`not resolved from the local registry: ${elsewhere.join(', ')}`)
  row.deps = row.problems.length === 0

  for (const [name, text] of Object.entries(SOURCES)) await writeFile(join(dir, name), text)
  const emulator = await startEmulator(CARRIER)
  try {
    const env = npmEnv(ctx, { REHEARSAL_CREDENTIALS: JSON.stringify(emulator.credentials), REHEARSAL_BASE_URL: emulator.url })
    const recorded = (output) => {
      if (output.trim() !== 'recorded carrier_auth.token.requests') throw new Error(`the consumer recorded no token request: ${output.trim()}`)
    }
    row.esm = await attempt(async () => recorded(await exec(process.execPath, ['consumer.mjs'], { cwd: dir, env, timeoutMs: 30_000 })))
    row.cjs = await attempt(async () => recorded(await exec(process.execPath, ['consumer.cjs'], { cwd: dir, env, timeoutMs: 30_000 })))
    row.tsc = await attempt(() => exec(join(BIN, 'tsc'), ['-p', join(dir, 'tsconfig.json')], { cwd: dir, env, timeoutMs: MINUTE }))
    // One request per consumer: each recorded a request the emulator really answered.
    row.token = row.esm === true && row.cjs === true && emulator.stats.tokenRequests === 2
  } finally {
    await emulator.close()
  }
  return cellProblems(row)
}
