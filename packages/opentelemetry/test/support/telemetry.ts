import type { Attributes } from '@opentelemetry/api'
import {
  AggregationTemporality,
  type DataPoint,
  type Histogram,
  InMemoryMetricExporter,
  MeterProvider,
  PeriodicExportingMetricReader,
} from '@opentelemetry/sdk-metrics'
import { BasicTracerProvider, InMemorySpanExporter, type ReadableSpan, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base'

export interface Point<T = number> {
  attributes: Attributes
  value: T
  unit: string
}

/**
 * The real OpenTelemetry SDK with in-memory exporters: a meter provider whose reader exports
 * only when flushed (the interval is an hour), and a tracer provider that hands every ended span
 * to an in-memory exporter at once.
 */
export function createTelemetrySdk() {
  const metricExporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE)
  const reader = new PeriodicExportingMetricReader({ exporter: metricExporter, exportIntervalMillis: 3_600_000 })
  const meterProvider = new MeterProvider({ readers: [reader] })
  const spanExporter = new InMemorySpanExporter()
  const tracerProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(spanExporter)] })

  /** Every data point of one metric, as of now. */
  async function points<T = number>(name: string): Promise<Point<T>[]> {
    metricExporter.reset()
    await reader.forceFlush()
    const found: Point<T>[] = []
    for (const resource of metricExporter.getMetrics()) {
      for (const scope of resource.scopeMetrics) {
        for (const metric of scope.metrics) {
          if (metric.descriptor.name !== name) continue
          for (const p of metric.dataPoints as DataPoint<unknown>[]) found.push({ attributes: p.attributes, value: p.value as T, unit: metric.descriptor.unit })
        }
      }
    }
    return found
  }

  return {
    meterProvider,
    tracerProvider,
    points,
    histogram: (name: string) => points<Histogram>(name),
    spans: (): ReadableSpan[] => spanExporter.getFinishedSpans(),
    /** Everything recorded, as text: for asserting what must never appear in it. */
    async everything(): Promise<string> {
      metricExporter.reset()
      await reader.forceFlush()
      const spans = spanExporter.getFinishedSpans().map((s) => ({ name: s.name, attributes: s.attributes, status: s.status, events: s.events }))
      return JSON.stringify({ metrics: metricExporter.getMetrics().map((r) => r.scopeMetrics), spans })
    },
    async shutdown() {
      await meterProvider.shutdown()
      await tracerProvider.shutdown()
    },
  }
}

export type TelemetrySdk = ReturnType<typeof createTelemetrySdk>
