import ApexDSL
import ApexEngine
import Testing

/// Runs, events and updates the conformance checks build on: realistic enough that a store
/// that loses a field, an order or a JSON detail fails.
enum ConformanceFixture {
    static let start = Timestamp(milliseconds: 1_795_000_000_123)

    /// `start` plus whole seconds.
    static func at(_ seconds: Int64) -> Timestamp {
        Timestamp(milliseconds: start.milliseconds + seconds * 1000)
    }

    static let input: JSONValue = [
        "ticket": "Printer on fire — héllo ✓", "priority": 2, "ratio": 0.25, "urgent": true,
        "tags": ["hardware", "facilities"], "owner": nil, "nested": ["depth": ["of": [1, 2.5, "three"]]],
    ]

    static func record(_ id: String, workflow: String = "triage", namespace: String = "default", queue: String = TaskQueue.defaultName,
                       startedAt: Timestamp = start, parent: String? = nil) -> RunRecord {
        RunRecord(id: id, namespace: namespace, taskQueue: queue, workflow: workflow, definitionHash: "sha256-\(workflow)", input: input,
                  startedAt: startedAt, parentRunID: parent)
    }

    /// RunStarted and the first scheduling, as a driver creates a run with.
    static func firstEvents(of record: RunRecord) -> [Event] {
        [
            Event(seq: 1, at: record.startedAt, kind: .runStarted(workflow: record.workflow, definitionHash: record.definitionHash,
                                                                  input: record.input, startedAt: record.startedAt)),
            Event(seq: 2, at: record.startedAt, kind: .stepScheduled(step: "classify", visit: 1, attempt: 1, kind: "llm")),
        ]
    }

    static let scheduled = RunUpdate(status: .running, currentStep: "classify")

    /// The row a store must hold after `record` was created or appended to with `update`.
    static func stored(_ record: RunRecord, _ update: RunUpdate, lastSeq: Int) -> RunRecord {
        var record = record
        record.status = update.status
        record.output = update.output
        record.error = update.error
        record.currentStep = update.currentStep
        record.finishedAt = update.finishedAt
        record.lastSeq = lastSeq
        return record
    }

    /// Creates a run with ``firstEvents(of:)`` and returns its row as it must be stored.
    @discardableResult
    static func create(_ id: String, in store: any RunStore, workflow: String = "triage", queue: String = TaskQueue.defaultName,
                       startedAt: Timestamp = start, parent: String? = nil, update: RunUpdate = scheduled) async throws -> RunRecord {
        let record = record(id, workflow: workflow, namespace: store.namespace, queue: queue, startedAt: startedAt, parent: parent)
        let result = try await store.createRun(record, events: firstEvents(of: record), update: update)
        #expect(result == .created)
        // A new run waits for a driver; an empty append is its driver having seen it.
        try await store.append(runID: id, events: [], expectedLastSeq: 2, update: update)
        return stored(record, update, lastSeq: 2)
    }

    /// A step's completion at `seq`, with an output that names it.
    static func completion(seq: Int, step: String = "classify", at time: Timestamp = start) -> Event {
        Event(seq: seq, at: time, kind: .stepCompleted(step: step, visit: 1, attempt: 1, output: ["seq": .int(seq), "text": .string("done \(seq)")],
                                                        usage: Usage(inputTokens: seq, outputTokens: 2 * seq)))
    }

    static func signal(_ name: String, payload: JSONValue = ["approved": true]) -> EventKind {
        .signalReceived(name: name, payload: payload, signalID: "sig-\(name)")
    }

    /// Ends a run that stands at `lastSeq` with RunCompleted.
    static func complete(_ id: String, in store: any RunStore, lastSeq: Int, at time: Timestamp = at(60)) async throws {
        let output: JSONValue = ["category": "bug"]
        try await store.append(runID: id, events: [Event(seq: lastSeq + 1, at: time, kind: .runCompleted(output: output))],
                               expectedLastSeq: lastSeq, update: RunUpdate(status: .completed, output: output, finishedAt: time))
    }

    /// The runs of the default queue a claim at `now` would take, left unclaimed (each claimed
    /// lease is released at once).
    static func claimable(in store: any RunStore, now: Timestamp) async throws -> [String] {
        let claimed = try await store.claimRuns(owner: "peek", until: now, now: now, limit: 100, taskQueues: [TaskQueue.defaultName], excluding: [])
        for run in claimed { try await store.releaseLease(runID: run, owner: "peek") }
        return claimed
    }
}
