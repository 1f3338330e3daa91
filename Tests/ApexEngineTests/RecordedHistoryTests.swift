import ApexCompiler
import ApexDSL
import Foundation
import Testing

@testable import ApexEngine

/// Histories recorded with `apex history RUN --json` from the example workflows and from the
/// cases the engine must keep handling (signals sent while nothing drove the run, children
/// pinned at the start, a history of format 1), each beside the workflow it ran. They must keep
/// replaying, read through the decoder the stores use; `bad-r001-*` must be reported as
/// non-determinism, `bad-r002-*` as corrupt, `bad-format-*` refused by the decoder.
///
/// A history is never re-recorded: a change that breaks one breaks the runs in flight.
@Suite struct RecordedHistoryTests {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Histories")

    static var names: [String] {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return files.filter { $0.hasSuffix(".jsonl") }.map { String($0.dropLast(".jsonl".count)) }.sorted()
    }

    static var good: [String] { names.filter { !$0.hasPrefix("bad-") } }

    /// The history's events, decoded line by line as the SQLite store decodes stored bodies.
    static func events(_ name: String) throws -> [Event] {
        let text = try String(contentsOf: folder.appendingPathComponent(name + ".jsonl"), encoding: .utf8)
        return try text.split(separator: "\n").map { line in
            try Array(line.utf8).withUnsafeBytes { try Event(storedUTF8: $0) }
        }
    }

    /// The plan of the workflow recorded beside the history, by the pure path that loads
    /// stored definitions; its hash must be the one the history pinned.
    static func plan(_ name: String, pinned events: [Event]) throws -> Plan {
        let source = try Data(contentsOf: folder.appendingPathComponent(name + ".yaml"))
        let plan = try Compiler.compile(WorkflowValidator.parse(data: source, path: name + ".yaml"))
        guard case .runStarted(_, let hash, _, _, _)? = events.first?.kind else { throw HistoryFormatError("no RunStarted") }
        #expect(plan.definitionHash == hash, "\(name).yaml is not the workflow the history ran")
        return plan
    }

    @Test func theLibraryHasEveryKindOfHistory() {
        #expect(Self.good.count >= 7)
        #expect(Self.names.contains { $0.hasPrefix("bad-r001-") })
        #expect(Self.names.contains { $0.hasPrefix("bad-r002-") })
        #expect(Self.names.contains { $0.hasPrefix("bad-format-") })
    }

    @Test(arguments: good)
    func aRecordedHistoryReplaysToTheEndItRecorded(_ name: String) throws {
        let events = try Self.events(name)
        let machine = try Replayer.replay(plan: try Self.plan(name, pinned: events), runID: name, events: events)
        #expect(machine.lastSeq == events.count)
        #expect(machine.status.isFinished, "\(name) was recorded to its end")
        if case .runCompleted(let output)? = events.last?.kind { #expect(machine.output == output) }
        // Read back as written: the stored JSON of each event is the line it was read from.
        #expect(events.map(\.json) == events.map { try! Event(json: $0.json).json })
    }

    @Test func signalsSentWhileNothingDroveTheRunAreOneBatch() throws {
        let events = try Self.events("signals-while-detached")
        #expect(events.map(\.kind.type).prefix(5) == ["RunStarted", "StepScheduled", "SignalReceived", "SignalReceived", "SignalConsumed"])
    }

    @Test func theRunStartedOfThisFormatPinsPathChildrenAndRouting() throws {
        guard case .runStarted(_, _, _, _, let pins)? = try Self.events("pinned-children").first?.kind else {
            Issue.record("no RunStarted")
            return
        }
        #expect(pins.path?.hasSuffix("/parent.yaml") == true)
        #expect(pins.children.keys.map { $0.hasSuffix("/sub/child.yaml") } == [true])
        #expect(pins.llmRouting == ["mock": true])
        // A history of format 1 pins nothing.
        guard case .runStarted(_, _, _, _, let none)? = try Self.events("refine-until-good-v1").first?.kind else { return }
        #expect(none == RunPins())
    }

    /// `bad-r001-*` diverge from their workflow (`APEX-R001`); `bad-r002-*` are corrupt (`APEX-R002`).
    @Test(arguments: names.filter { $0.hasPrefix("bad-r00") })
    func aBadHistoryFailsWithItsCode(_ name: String) throws {
        let events = try Self.events(name)
        let plan = try Self.plan(name, pinned: events)
        let code = "APEX-R" + name.dropFirst("bad-r".count).prefix(3)
        do {
            _ = try Replayer.replay(plan: plan, runID: name, events: events)
            Issue.record("\(name) replayed")
        } catch {
            #expect(error.code == code, "\(error)")
        }
    }

    @Test(arguments: names.filter { $0.hasPrefix("bad-format-") })
    func aHistoryOfANewerFormatIsRefused(_ name: String) throws {
        #expect(throws: (any Error).self) { _ = try Self.events(name) }
        do { _ = try Self.events(name) } catch {
            #expect("\(error)".contains("newer than this apex reads"), "\(error)")
        }
    }
}
