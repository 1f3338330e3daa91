import ApexCompiler
import ApexDSL
import ApexEngine
import CoreMetrics
import Metrics
import Prometheus

/// Turns an engine's commits into metrics: runs started and ended by status, step and
/// attempt durations by kind, retries, timers, tokens, and the store's commit time.
struct CommitRecorder {
    let factory: PrometheusMetricsFactory
    let started: CoreMetrics.Counter
    /// When each visit was scheduled and each attempt started, until it ends.
    private var scheduled: [VisitKey: (at: Timestamp, kind: String)] = [:]
    private var attempts: [AttemptKey: Timestamp] = [:]

    init(factory: PrometheusMetricsFactory, started: CoreMetrics.Counter) {
        self.factory = factory
        self.started = started
    }

    private struct VisitKey: Hashable {
        var run: String
        var step: String
        var visit: Int
    }

    private struct AttemptKey: Hashable {
        var visit: VisitKey
        var attempt: Int
    }

    /// Records a commit; `plan` (the run's, when known) names the provider and model of its
    /// llm steps' tokens.
    mutating func record(_ commit: RunCommit, plan: Plan?) {
        if !commit.events.isEmpty {
            Recorder(label: "apex_store_commit_seconds", aggregate: true, factory: factory).record(commit.storeSeconds)
        }
        for event in commit.events { record(event, run: commit.runID, plan: plan) }
    }

    private mutating func record(_ event: Event, run: String, plan: Plan?) {
        switch event.kind {
        case .runStarted:
            started.increment()
        case .stepScheduled(let step, let visit, _, let kind):
            // Visits that end in another process (a run handed over) are never seen ending here.
            if scheduled.count > 100_000 { scheduled.removeAll() }
            scheduled[VisitKey(run: run, step: step, visit: visit)] = (event.at, kind)
        case .stepStarted(let step, let visit, let attempt, _):
            if attempts.count > 100_000 { attempts.removeAll() }
            attempts[AttemptKey(visit: VisitKey(run: run, step: step, visit: visit), attempt: attempt)] = event.at
        case .stepCompleted(let step, let visit, let attempt, _, let usage):
            let key = VisitKey(run: run, step: step, visit: visit)
            endAttempt(key, attempt, at: event.at, outcome: "completed")
            endVisit(key, at: event.at, status: "completed")
            if let usage {
                let (provider, model) = Self.model(of: step, in: plan)
                for (direction, tokens) in [("input", usage.inputTokens), ("output", usage.outputTokens)] {
                    count("apex_llm_tokens_total", [("provider", provider), ("model", model), ("direction", direction)], by: tokens)
                }
            }
        case .stepFailed(let step, let visit, let attempt, _, let retryAt):
            let key = VisitKey(run: run, step: step, visit: visit)
            let kind = endAttempt(key, attempt, at: event.at, outcome: "failed")
            if retryAt != nil {
                count("apex_step_retries_total", [("kind", kind)])
            } else {
                endVisit(key, at: event.at, status: "failed")
            }
        case .stepSuspended(let step, let visit, let attempt, _, _):
            endAttempt(VisitKey(run: run, step: step, visit: visit), attempt, at: event.at, outcome: "suspended")
        case .timerStarted:
            count("apex_timers_started_total", [])
        case .timerFired:
            count("apex_timers_fired_total", [])
        case .runCompleted: ended("completed")
        case .runFailed: ended("failed")
        case .runCancelled: ended("cancelled")
        case .runTimedOut: ended("timed_out")
        case .stepCheckpointed, .stepSkipped, .signalReceived, .signalConsumed, .cancelRequested:
            break
        }
    }

    /// The provider and model of the llm step `key` (`each[2]/summarize`): `dynamic` for a
    /// model chosen by an expression, `unknown` without the plan.
    static func model(of key: String, in plan: Plan?) -> (provider: String, model: String) {
        let stepID = key.split(separator: "/").last.map(String.init) ?? key
        let options: LLMOptions
        switch plan?.states.first(where: { $0.stepID == stepID })?.action {
        case .llm(let llm)?: options = llm
        case .agent(let agent)?: options = agent.llm
        default: return ("unknown", "unknown")
        }
        return (options.provider?.value ?? "unknown", options.model.map { $0.literalValue?.stringValue ?? "dynamic" } ?? "unknown")
    }

    private func ended(_ status: String) {
        count("apex_runs_completed_total", [("status", status)])
    }

    /// Records an attempt's duration; returns the step's kind.
    @discardableResult
    private mutating func endAttempt(_ visit: VisitKey, _ attempt: Int, at: Timestamp, outcome: String) -> String {
        let kind = scheduled[visit]?.kind ?? "unknown"
        if let began = attempts.removeValue(forKey: AttemptKey(visit: visit, attempt: attempt)) {
            Recorder(label: "apex_attempt_duration_seconds", dimensions: [("kind", kind), ("outcome", outcome)], aggregate: true, factory: factory)
                .record(Double(at.milliseconds - began.milliseconds) / 1000)
        }
        return kind
    }

    private mutating func endVisit(_ visit: VisitKey, at: Timestamp, status: String) {
        guard let began = scheduled.removeValue(forKey: visit) else { return }
        Recorder(label: "apex_step_duration_seconds", dimensions: [("kind", began.kind), ("status", status)], aggregate: true, factory: factory)
            .record(Double(at.milliseconds - began.at.milliseconds) / 1000)
    }

    private func count(_ name: String, _ labels: [(String, String)], by amount: Int = 1) {
        CoreMetrics.Counter(label: name, dimensions: labels, factory: factory).increment(by: amount)
    }
}
