import ApexDSL
import ApexEngine

/// Runs to create in the Postgres-specific tests.
enum Runs {
    static let start = Timestamp(milliseconds: 1_795_000_000_000)

    static func at(_ seconds: Int64) -> Timestamp { Timestamp(milliseconds: start.milliseconds + seconds * 1000) }

    static func record(_ id: String, namespace: String = "default", taskQueue: String = TaskQueue.defaultName,
                       startedAt: Timestamp = start) -> RunRecord {
        RunRecord(id: id, namespace: namespace, taskQueue: taskQueue, workflow: "triage", definitionHash: "sha256-triage",
                  input: ["n": 1], startedAt: startedAt)
    }

    static func firstEvents(of record: RunRecord) -> [Event] {
        [Event(seq: 1, at: record.startedAt, kind: .runStarted(workflow: record.workflow, definitionHash: record.definitionHash,
                                                               input: record.input, startedAt: record.startedAt))]
    }

    /// Creates a running run, left claimable (no driver has appended yet).
    @discardableResult
    static func create(_ id: String, in store: any RunStore, taskQueue: String = TaskQueue.defaultName,
                       startedAt: Timestamp = start) async throws -> RunRecord {
        let record = record(id, namespace: store.namespace, taskQueue: taskQueue, startedAt: startedAt)
        _ = try await store.createRun(record, events: firstEvents(of: record), update: RunUpdate(status: .running))
        return record
    }
}
