import ApexDSL
import ApexEngine
import ArgumentParser
import Foundation

/// `apex show RUN --watch` (docs/cli.md, "`apex show`"): follows a run to its end, whoever
/// drives it, from the run's detail JSON after each change (``RunJSON/detail(_:steps:)``, read
/// from a local store or a server).
///
/// - On a terminal, the show output is drawn, then redrawn in place at each change (the cursor
///   goes back up over the lines drawn, which are cleared), at most ten times a second.
/// - Elsewhere, the show output is printed once, then one line per step that changed
///   (`2026-12-05T14:02:03Z  draft  completed  (attempt 1, 1.2s)`) and, when the run ends, a
///   last line `run ID completed`.
///
/// It exits as `apex run` does: 0 completed, 1 failed or timed out, 3 cancelled; Ctrl-C stops
/// watching (exit 130) and leaves the run alone.
struct RunWatch {
    let console: Console
    let runID: String

    /// The shortest time between two redraws on a terminal (and between two reads of a server's detail).
    static let redrawInterval: Swift.Duration = .milliseconds(100)
    /// How often a local store is asked for new events.
    static let pollInterval: Swift.Duration = .milliseconds(250)
    /// Moves the cursor to the start of the line `lines` up and clears from there to the end of the screen.
    static func rewind(_ lines: Int) -> String { "\u{1B}[\(lines)F\u{1B}[J" }

    /// Shows `snapshots` (the run's detail now, then after each change; the stream ends after
    /// the run has) and returns the run's exit status.
    func follow(_ snapshots: AsyncThrowingStream<JSONValue, any Error>) async throws -> ExitCode {
        let interrupt = InterruptHandler { [console, runID] in
            console.error.writeLine("\ninterrupted: stopped watching run \(runID); the run goes on")
        }
        defer { interrupt.cancel() }
        var previous: JSONValue?
        var drawnLines = 0
        for try await detail in snapshots {
            let now = Timestamp(Date())
            let finished = RunText.status(of: detail).isFinished
            if console.output.isTerminal {
                let text = RunText.show(detail, now: now)
                console.output.write((drawnLines > 0 ? Self.rewind(drawnLines) : "") + text)
                drawnLines = text.reduce(0) { $1 == "\n" ? $0 + 1 : $0 }
                // Changes that come meanwhile wait, the newest only, for the next redraw.
                if !finished { try await Task.sleep(for: Self.redrawInterval) }
            } else if let previous {
                for line in Self.changes(from: previous, to: detail, now: now) { console.output.writeLine(line) }
            } else {
                console.output.write(RunText.show(detail, now: now))
            }
            previous = detail
        }
        return ExitCode(runStatus: previous.map(RunText.status(of:)) ?? .running)
    }

    /// The lines of what changed from `old` to `new`: a step visit that started, or whose
    /// status or attempt changed, and the run's end.
    static func changes(from old: JSONValue, to new: JSONValue, now: Timestamp) -> [String] {
        func key(_ step: JSONValue) -> String { "\(step["step"]?.stringValue ?? "")#\(step["visit"]?.compactJSON ?? "")" }
        var before: [String: JSONValue] = [:]
        for step in old["steps"]?.arrayValue ?? [] { before[key(step)] = step }
        var lines: [String] = []
        for step in new["steps"]?.arrayValue ?? [] {
            let earlier = before[key(step)]
            guard earlier?["status"] != step["status"] || earlier?["attempts"] != step["attempts"] else { continue }
            let started = RunText.time(step["started_at"]) ?? now
            let finished = RunText.time(step["finished_at"])
            let at = finished ?? (earlier == nil ? started : now)
            var what: [String] = []
            if case .int(let visit)? = step["visit"], visit > 1 { what.append("visit \(visit)") }
            what.append("attempt \(step["attempts"]?.compactJSON ?? "1")")
            what.append(TextTable.duration(milliseconds: (finished ?? now).milliseconds - started.milliseconds))
            lines.append("\(seconds(at))  \(step["step"]?.stringValue ?? "")  \(step["status"]?.stringValue ?? "")  (\(what.joined(separator: ", ")))")
        }
        let status = RunText.status(of: new)
        if status.isFinished, RunText.status(of: old) != status {
            var line = "run \(new["id"]?.stringValue ?? "") \(status.rawValue)"
            if let error = new["error"], !error.isNull {
                line += ": \(error["type"]?.stringValue ?? ""): \(error["message"]?.stringValue ?? "")"
            }
            lines.append(line)
        }
        return lines
    }

    /// `2026-12-05T14:02:03Z`: the time to the second.
    private static func seconds(_ time: Timestamp) -> String {
        String(time.description.prefix(19)) + "Z"
    }
}

extension RunWatch {
    /// The detail of a run in a local store now, then after each batch of events it gets
    /// (driven here, by a worker or by a server on the same store), until it has ended.
    static func snapshots(engine: Engine, record: RunRecord) -> AsyncThrowingStream<JSONValue, any Error> {
        AsyncThrowingStream(bufferingPolicy: .bufferingNewest(1)) { continuation in
            let task = Task {
                do {
                    let runID = record.id
                    let plan = try await engine.plan(forRun: record)
                    let history = try await engine.store.events(runID: runID, after: 0)
                    var machine = try Replayer.replay(plan: plan, runID: runID, events: history)
                    var logs = StepLogs(history)
                    // The row is read after the events, so it is at least as new as they are.
                    var current = try await engine.store.run(id: runID) ?? record
                    continuation.yield(RunJSON.detail(current, steps: machine.stepRecords, logs: logs))
                    while !machine.status.isFinished {
                        try await Task.sleep(for: pollInterval)
                        let events = try await engine.store.events(runID: runID, after: machine.lastSeq)
                        guard !events.isEmpty else { continue }
                        for event in events { try Replayer.replay(event, into: &machine) }
                        logs.add(events)
                        current = try await engine.store.run(id: runID) ?? current
                        continuation.yield(RunJSON.detail(current, steps: machine.stepRecords, logs: logs))
                    }
                    continuation.finish()
                } catch {
                    continuation.finish(throwing: error)
                }
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }

    /// `first`, the detail of a run on a server, then the detail read again after each batch of
    /// events its live stream brings (at most ten times a second), until it has ended.
    static func snapshots(client: APIClient, runID: String, first: JSONValue) -> AsyncThrowingStream<JSONValue, any Error> {
        AsyncThrowingStream(bufferingPolicy: .bufferingNewest(1)) { continuation in
            continuation.yield(first)
            guard !RunText.status(of: first).isFinished else {
                continuation.finish()
                return
            }
            let task = Task {
                do {
                    try await follow(client: client, runID: runID) { continuation.yield($0) }
                    continuation.finish()
                } catch {
                    continuation.finish(throwing: error)
                }
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }

    /// Reads the run's stream in one task and its detail in another: events arriving while the
    /// detail is read make one more read, not one each.
    private static func follow(client: APIClient, runID: String, yield: @escaping @Sendable (JSONValue) -> Void) async throws {
        let (changes, changed) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
        try await withThrowingTaskGroup(of: Bool.self) { group in
            group.addTask {
                defer { changed.finish() }
                try await RunEventStream(client: client, runID: runID).read(after: 0) { item in
                    if case .events = item { changed.yield() }
                }
                return false
            }
            group.addTask {
                for await _ in changes {
                    let detail = try await client.get(APIClient.runPath(runID))
                    yield(detail)
                    if RunText.status(of: detail).isFinished { return true }
                    try await Task.sleep(for: redrawInterval)
                }
                // The stream has ended after the run's final event: its final detail.
                yield(try await client.get(APIClient.runPath(runID)))
                return true
            }
            while let isDetailReader = try await group.next() {
                if isDetailReader {
                    group.cancelAll()
                    return
                }
            }
        }
    }
}
