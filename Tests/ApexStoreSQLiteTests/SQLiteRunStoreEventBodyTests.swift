import ApexDSL
import ApexEngine
import GRDB
import Testing

@testable import ApexStoreSQLite

/// Events read back from their stored bodies: the usual body member by member, any other as it
/// always was, and a corrupt one refused with the error that names the problem.
@Suite struct SQLiteRunStoreEventBodyTests {
    static let at = Timestamp(milliseconds: 1_795_000_000_000)

    @Test(arguments: [
        (#"{"seq":2,"type":"TimerFired","at":"2026-11-18T11:06:40Z","timer":"t"}"#, "event"),
        (#"{"seq":2,"type":"TimerFired","at":"2026-11-18T11:06:40.000Z","timer":"t"#, "invalid JSON at offset 71: unterminated string"),
        (#"{"seq":2,"type":"TimerFired","at":"2026-11-18T11:06:40.000Z"}"#, #"unreadable history: TimerFired needs a string "timer""#),
        (#"{"seq":2,"type":"RunExploded","at":"2026-11-18T11:06:40.000Z"}"#, "unreadable history: unknown event type \"RunExploded\" (written by a newer apex?)"),
        (#"{"seq":2,"type":"TimerFired","timer":"t"}"#, #"unreadable history: an event needs "seq", "type" and "at""#),
    ])
    func readsBodiesAsTheWholeParseDoes(body: String, expected: String) async throws {
        try await TemporaryFolder.with { folder in
            let store = try SQLiteRunStore(path: folder.path())
            let started = Event(seq: 1, at: Self.at, kind: .runStarted(workflow: "w", definitionHash: "h", input: [:], startedAt: Self.at))
            let record = RunRecord(id: "r1", workflow: "w", definitionHash: "h", input: [:], startedAt: Self.at)
            #expect(try await store.createRun(record, events: [started], update: RunUpdate(status: .running)) == .created)
            try await store.pool.write { db in
                try db.execute(sql: "INSERT INTO events (namespace, run_id, seq, type, at, body) VALUES ('default', 'r1', 2, 'TimerFired', 0, ?)", arguments: [body])
            }
            do {
                let events = try await store.events(runID: "r1", after: 1)
                #expect(expected == "event")
                #expect(events == [try Event(json: JSONValue(parsing: body))])
            } catch {
                #expect("\(error)" == expected)
            }
        }
    }
}
