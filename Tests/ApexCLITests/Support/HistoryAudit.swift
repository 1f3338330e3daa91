import ApexDSL
import Foundation

/// The histories of many runs (`apex history RUN --json`), checked against what no crash,
/// outage or pause may break, and against the mock provider's call logs of the workers.
///
/// A *key* is `step visit attempt`, as the mock provider logs a call (`APEX_MOCK_LLM_LOG`);
/// a worker is the pid of the `host:pid` in its `StepStarted` events.
struct HistoryAudit {
    struct Event {
        var seq: Int
        var type: String
        var step: String?
        var visit: Int?
        var attempt: Int?
        var kind: String?
        var worker: Int?
        var errorType: String?
        var at: Date

        var visitKey: String? { step.flatMap { step in visit.map { "\(step) \($0)" } } }
        var key: String? { visitKey.flatMap { visit in attempt.map { "\(visit) \($0)" } } }
    }

    /// Every run's events, in order.
    private(set) var runs: [String: [Event]] = [:]
    /// Problems found while reading (an event that does not parse).
    private(set) var problems: [String] = []

    init(histories: [String: [JSONValue]]) {
        for (run, events) in histories {
            runs[run] = events.compactMap { json in
                guard let seq = json["seq"]?.numberValue, let type = json["type"]?.stringValue,
                      let atText = json["at"]?.stringValue, let at = Self.parseTime(atText) else {
                    problems.append("\(run): an event without seq, type or at: \(json)")
                    return nil
                }
                let worker = json["worker"]?.stringValue.flatMap { $0.split(separator: ":").last.flatMap { Int($0) } }
                return Event(seq: Int(seq), type: type, step: json["step"]?.stringValue, visit: json["visit"]?.numberValue.map { Int($0) },
                             attempt: json["attempt"]?.numberValue.map { Int($0) }, kind: json["kind"]?.stringValue, worker: worker,
                             errorType: json["error"]?["type"]?.stringValue, at: at)
            }
        }
    }

    /// Reads each run's history with `read` (at most `width` at once).
    static func read(_ runIDs: [String], width: Int = 6, _ read: @escaping @Sendable (String) async throws -> [JSONValue]) async throws -> HistoryAudit {
        let histories = try await Concurrently.map(runIDs, width: width, read)
        return HistoryAudit(histories: histories)
    }

    private static func parseTime(_ text: String) -> Date? {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.date(from: text)
    }

    // MARK: - What every run's history must say

    /// The problems of the histories: each run completed; its seqs are 1, 2, 3, …; every
    /// (step, visit) it touched completed exactly once, and `completedSteps` are the step keys
    /// that completed; no attempt started twice or ended twice; no attempt started once its
    /// (step, visit) had completed; an activity's completed attempt is one that started.
    func violations(completedSteps expected: Set<String>) -> [String] {
        var found = problems
        for (run, events) in runs.sorted(by: { $0.key < $1.key }) {
            found += violations(of: run, events, expected: expected)
        }
        return found
    }

    private func violations(of run: String, _ events: [Event], expected: Set<String>) -> [String] {
        var found: [String] = []
        if events.isEmpty || events.map(\.seq) != Array(1..<events.count + 1) {
            found.append("\(run): seqs are not 1…\(events.count)")
        }
        if events.last?.type != "RunCompleted" { found.append("\(run): ends with \(events.last?.type ?? "nothing"), not RunCompleted") }
        var kinds: [String: String] = [:]
        var completed: [String: Int] = [:]
        var started = Set<String>()
        var ended: [String: Int] = [:]
        var touched = Set<String>()
        for event in events {
            guard let visit = event.visitKey else { continue }
            touched.insert(visit)
            switch event.type {
            case "StepScheduled":
                if let kind = event.kind { kinds[visit] = kind }
            case "StepStarted":
                if completed[visit] != nil { found.append("\(run): event \(event.seq) starts \(event.key ?? visit) after \(visit) completed") }
                if let key = event.key, !started.insert(key).inserted { found.append("\(run): attempt \(key) started twice") }
            case "StepCompleted", "StepFailed":
                if let key = event.key {
                    ended[key, default: 0] += 1
                    if ended[key] == 2 { found.append("\(run): attempt \(key) ended twice") }
                    if event.type == "StepCompleted", kinds[visit] == "llm", !started.contains(key) {
                        found.append("\(run): attempt \(key) completed but never started")
                    }
                }
                if event.type == "StepCompleted" { completed[visit, default: 0] += 1 }
            default: break
            }
        }
        for visit in touched.sorted() where completed[visit] != 1 {
            found.append("\(run): \(visit) completed \(completed[visit] ?? 0) times")
        }
        let steps = Set(events.filter { $0.type == "StepCompleted" }.compactMap(\.step))
        if steps != expected { found.append("\(run): completed steps \(steps.sorted()), expected \(expected.sorted())") }
        return found
    }

    // MARK: - Who did what

    /// How many `StepStarted` each worker wrote, by key.
    var started: [Int: [String: Int]] {
        var counts: [Int: [String: Int]] = [:]
        for event in runs.values.joined() where event.type == "StepStarted" {
            if let worker = event.worker, let key = event.key { counts[worker, default: [:]][key, default: 0] += 1 }
        }
        return counts
    }

    /// The completed attempts of activities, by the worker that started them, by key.
    var completedAttempts: [Int: [String: Int]] {
        var counts: [Int: [String: Int]] = [:]
        for events in runs.values {
            var starter: [String: Int] = [:]
            for event in events {
                guard let key = event.key else { continue }
                if event.type == "StepStarted", let worker = event.worker { starter[key] = worker }
                if event.type == "StepCompleted", let worker = starter[key] { counts[worker, default: [:]][key, default: 0] += 1 }
            }
        }
        return counts
    }

    /// The events of every run of `type` (optionally only those of `worker`).
    func events(_ type: String, worker: Int? = nil) -> [(run: String, event: Event)] {
        runs.flatMap { run, events in
            events.filter { $0.type == type && (worker == nil || $0.worker == worker) }.map { (run, $0) }
        }
    }

    /// The problems of the call logs, one file per worker process (by pid): a completed attempt
    /// was called (a line in the log of the worker that started it) and no worker called a
    /// key more often than it started it (a call begins only after its `StepStarted` is
    /// committed, so a completed call was never made twice). Every `StepStarted` is by one of
    /// these workers.
    func callLogViolations(_ logs: [Int: String]) -> [String] {
        var found: [String] = []
        let started = started
        let completed = completedAttempts
        for worker in Set(started.keys).subtracting(logs.keys).sorted() {
            found.append("StepStarted by pid \(worker), which is none of the workers")
        }
        for (worker, path) in logs.sorted(by: { $0.key < $1.key }) {
            let calls = Self.callCounts(path)
            for (key, count) in completed[worker] ?? [:] where calls[key, default: 0] < count {
                found.append("worker \(worker) completed \(key) \(count) time(s) but logged \(calls[key, default: 0]) call(s)")
            }
            for (key, count) in calls where count > started[worker]?[key] ?? 0 {
                found.append("worker \(worker) logged \(count) call(s) of \(key) but started it \(started[worker]?[key] ?? 0) time(s)")
            }
        }
        return found
    }

    /// The lines of a mock call log, counted.
    static func callCounts(_ path: String) -> [String: Int] {
        let text = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
        var counts: [String: Int] = [:]
        for line in text.split(separator: "\n") { counts[String(line), default: 0] += 1 }
        return counts
    }
}

/// `body` over `items`, at most `width` at once; the results by item.
enum Concurrently {
    static func map<T: Sendable>(_ items: [String], width: Int, _ body: @escaping @Sendable (String) async throws -> T) async throws -> [String: T] {
        try await withThrowingTaskGroup(of: (String, T).self) { group in
            var results: [String: T] = [:]
            var next = items.makeIterator()
            for _ in 0..<max(width, 1) {
                guard let item = next.next() else { break }
                group.addTask { (item, try await body(item)) }
            }
            while let (item, result) = try await group.next() {
                results[item] = result
                if let item = next.next() { group.addTask { (item, try await body(item)) } }
            }
            return results
        }
    }
}
