import ApexCompiler
import ApexDSL
import ApexEngine
import CoreMetrics
import Foundation
import Metrics
import Prometheus

/// The process's metrics, in Prometheus's text format at `/metrics` on `--metrics-addr`.
/// swift-metrics types on a registry of this object's own (no global bootstrap: tests run
/// several servers in one process).
///
/// Engine metrics come from each engine's commits (``Engine/commits``): what this process
/// started, completed and ran. Summed over every process they give the cluster's figures.
public final class ServerMetrics: Sendable {
    public let registry = PrometheusCollectorRegistry()
    let factory: PrometheusMetricsFactory

    private let started: CoreMetrics.Counter
    private let openStreams: CoreMetrics.Gauge
    private let openStreamCount = Counter64()

    public init() {
        var factory = PrometheusMetricsFactory(registry: registry)
        let seconds: [Double] = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300]
        for name in ["apex_http_request_duration_seconds", "apex_step_duration_seconds", "apex_attempt_duration_seconds",
                     "apex_store_commit_seconds"] {
            factory.valueHistogramBuckets[name] = seconds
        }
        self.factory = factory
        started = CoreMetrics.Counter(label: "apex_runs_started_total", factory: factory)
        openStreams = CoreMetrics.Gauge(label: "apex_streams_open", factory: factory)
    }

    /// The text format, for a scrape.
    public func exposition() -> [UInt8] { registry.emitToBuffer() }

    func streamOpened() { openStreams.record(Double(openStreamCount.add(1))) }
    func streamClosed() { openStreams.record(Double(openStreamCount.add(-1))) }

    func request(route: String, method: String, status: Int, seconds: Double) {
        CoreMetrics.Counter(label: "apex_http_requests_total", dimensions: [("route", route), ("method", method), ("status", String(status))], factory: factory)
            .increment()
        Recorder(label: "apex_http_request_duration_seconds", dimensions: [("route", route)], aggregate: true, factory: factory).record(seconds)
    }

    /// Counts what an engine commits, until the task is cancelled.
    public func observe(_ engine: Engine) -> Task<Void, Never> {
        let active = CoreMetrics.Gauge(label: "apex_runs_active", factory: factory)
        let commits = engine.commits.subscribe(buffer: 4096)
        return Task { [factory, started] in
            var recorder = CommitRecorder(factory: factory, started: started)
            var plans = PlanLookup(engine: engine)
            for await commit in commits {
                let plan = commit.events.contains(where: \.hasUsage) ? await plans.plan(ofRun: commit.runID) : nil
                recorder.record(commit, plan: plan)
                active.record(Double(engine.drivenRunCount))
            }
        }
    }
}

/// A counter that can go down (the open streams), read and written from any task.
private final class Counter64: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0
    func add(_ delta: Int) -> Int { lock.withLock { value += delta; return value } }
}

/// The plans of runs whose llm steps report tokens (their provider and model label the
/// token counters), read once per run.
private struct PlanLookup {
    let engine: Engine
    private var plans: [String: Plan] = [:]

    init(engine: Engine) { self.engine = engine }

    mutating func plan(ofRun id: String) async -> Plan? {
        if let plan = plans[id] { return plan }
        guard let record = try? await engine.store.run(id: id), let plan = try? await engine.plan(forRun: record) else { return nil }
        if plans.count >= 10_000 { plans.removeAll() }
        plans[id] = plan
        return plan
    }
}

extension Event {
    /// Whether the event reports an llm call's token usage.
    var hasUsage: Bool {
        if case .stepCompleted(_, _, _, _, let usage?) = kind { usage.inputTokens + usage.outputTokens > 0 } else { false }
    }
}
