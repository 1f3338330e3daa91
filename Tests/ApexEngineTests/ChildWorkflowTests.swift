import ApexCompiler
import ApexDSL
import ApexLLM
import ApexTesting
import ApexWorkflowFiles
import Foundation
import Testing

@testable import ApexEngine

/// `workflow` steps: a child found by `file` or by registered `name` runs as a run of its own,
/// its output becomes the step's output, and every way of not finding it is `workflow.failed`.
@Suite struct ChildWorkflowTests {
    static let child = """
        apex: 1
        name: shout
        input: {type: object, required: [text], properties: {text: {type: string}}}
        steps:
          - id: loud
            set: {text: "${{ upper(input.text) }}!"}
        output: {text: "${{ steps.loud.output.text }}"}
        """

    static func parent(_ call: String) -> String {
        """
        apex: 1
        name: parent
        steps:
          - id: call
            workflow: {\(call), input: {text: hello}}
            catch:
              - errors: [workflow.failed]
                next: missing
          - id: done
            set: {said: "${{ steps.call.output.text }}"}
            next: end
          - id: missing
            set: {said: "${{ steps.call.error.message }}"}
        output: ${{ steps.done.output.said ?? steps.missing.output.said }}
        """
    }

    let folder: URL
    let store = InMemoryRunStore()
    let engine: Engine

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("apex-child-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        engine = Engine(store: store, executor: StepActivityExecutor(llm: LLMActivityExecutor(providers: ["mock": MockLLMProvider()])),
                        workflows: WorkflowFiles(), configuration: EngineConfiguration(workerID: "test"))
    }

    func write(_ name: String, _ text: String, in subfolder: String? = nil) throws -> String {
        var url = folder
        if let subfolder { url.appendPathComponent(subfolder) }
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        let path = url.appendingPathComponent(name).path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// Runs the workflow file at `path` to its end.
    func run(_ path: String) async throws -> RunRecord {
        try await finish(try await start(path))
    }

    /// Starts the workflow file at `path` as `apex run` does: it and its children pinned.
    func start(_ path: String) async throws -> String {
        let bundle = try WorkflowFiles.bundle(at: path)
        return try await engine.start(bundle.root, children: bundle.children, input: [:]).runID
    }

    func finish(_ runID: String) async throws -> RunRecord {
        guard case .finished(let record) = try await engine.drive(runID: runID) else {
            throw WorkflowSourceError("the run did not finish")
        }
        return record
    }

    @Test func aRunKeepsTheChildrenItPinnedWhenTheFilesAreEditedOrDeleted() async throws {
        // A parent in one folder calls a child that calls a grandchild in a subfolder.
        _ = try write("grand.yaml", "apex: 1\nname: grand\nsteps:\n  - id: g\n    set: {v: grand}\noutput: ${{ steps.g.output.v }}\n", in: "sub")
        _ = try write("middle.yaml", "apex: 1\nname: middle\nsteps:\n  - id: m\n    workflow: {file: sub/grand.yaml}\noutput: ${{ steps.m.output }}\n")
        let parentPath = try write("parent.yaml", "apex: 1\nname: parent\nsteps:\n  - id: hold\n    wait: {signal: go}\n  - id: call\n    workflow: {file: middle.yaml}\noutput: ${{ steps.call.output }}\n")
        let runID = try await start(parentPath)
        // Everything on disk changes before the child steps run: the run does not notice.
        try FileManager.default.removeItem(atPath: folder.appendingPathComponent("sub/grand.yaml").path)
        _ = try write("middle.yaml", "apex: 1\nname: middle\nsteps:\n  - id: m\n    set: {v: edited}\noutput: edited\n")
        try FileManager.default.removeItem(atPath: parentPath)
        _ = try await engine.signal(runID: runID, name: "go", payload: true)
        let record = try await finish(runID)
        #expect(record.status == .completed)
        #expect(record.output == "grand")
    }

    @Test func aChildFileRunsAsARunOfItsOwnAndGivesItsOutput() async throws {
        _ = try write("shout.yaml", Self.child)
        let parent = try await run(try write("parent.yaml", Self.parent("file: shout.yaml")))
        #expect(parent.status == .completed)
        #expect(parent.output == "HELLO!")
        let child = try #require(try await store.runs(RunFilter(workflow: "shout")).first)
        #expect(child.parentRunID == parent.id)
        #expect(child.status == .completed)
        #expect(child.input == ["text": "hello"])
    }

    @Test func aNameFindsTheWorkflowFileBesideTheParent() async throws {
        _ = try write("loud-things.yml", Self.child)
        _ = try write("other.yaml", "apex: 1\nname: other\nsteps:\n  - id: a\n    set: {shout: 1}\n")
        let parent = try await run(try write("parent.yaml", Self.parent("name: shout")))
        #expect(parent.output == "HELLO!")
    }

    @Test func aNameFallsBackToTheNewestRunOfThatWorkflowInTheStore() async throws {
        // Registered by running it once from another folder, then edited there: the newest
        // run's pinned definition is what the name means.
        let childPath = try write("shout.yaml", Self.child, in: "elsewhere")
        _ = try await engine.start(plan: try compile(Self.child, path: childPath), source: Self.child, path: childPath, input: ["text": "x"])
        let edited = Self.child.replacingOccurrences(of: "}!", with: "}?")
        _ = try await engine.start(plan: try compile(edited, path: childPath), source: edited, path: childPath, input: ["text": "y"])
        let parent = try await run(try write("parent.yaml", Self.parent("name: shout"), in: "here"))
        #expect(parent.output == "HELLO?")
    }

    @Test func anUnknownNameIsWorkflowFailedWithWhereItLooked() async throws {
        let parent = try await run(try write("parent.yaml", Self.parent("name: shout")))
        let message = try #require(parent.output?.stringValue)
        #expect(message.contains("no workflow named \"shout\" is registered"))
        #expect(message.contains(folder.path))
        #expect(message.contains("namespace \"default\""))
    }

    @Test func twoFilesWithTheNameAreAmbiguous() async throws {
        _ = try write("a.yaml", Self.child)
        _ = try write("b.yaml", Self.child)
        let parent = try await run(try write("parent.yaml", Self.parent("name: shout")))
        #expect(parent.output?.stringValue == "workflow name \"shout\" is ambiguous: 2 files in \(folder.path) use it (a.yaml, b.yaml)")
    }

    @Test func aFailedChildIsWorkflowFailedNamingTheChildRunAndEachRetryRunsANewChild() async throws {
        _ = try write("shout.yaml", "apex: 1\nname: shout\nsteps:\n  - id: no\n    fail: {error: Refused, message: not today}\n")
        let source = Self.parent("name: shout").replacingOccurrences(of: "input: {text: hello}}", with: "input: {text: hello}}\n    retry: {max_attempts: 2, initial_interval: 10ms}")
        let parent = try await run(try write("parent.yaml", source))
        #expect(parent.output?.stringValue == "child run \(parent.id).call.1.2 failed: Refused: not today")
        let children = try await store.runs(RunFilter(workflow: "shout")).map(\.id).sorted()
        #expect(children == ["\(parent.id).call.1", "\(parent.id).call.1.2"])
    }

    @Test func aRetryRunsTheChildAgainAndTakesItsOutput() async throws {
        // The first attempt's child fails; the second attempt's child (id ending in .2) succeeds.
        _ = try write("flaky.yaml", """
            apex: 1
            name: shout
            steps:
              - id: check
                switch:
                  - when: ${{ endsWith(run.id, '.2') }}
                    next: ok
                  - default: no
              - id: no
                fail: {error: Flaky, message: first time}
              - id: ok
                set: {text: second time}
            output: {text: "${{ steps.ok.output.text }}"}
            """)
        let source = Self.parent("name: shout").replacingOccurrences(of: "input: {text: hello}}", with: "input: {text: hello}}\n    retry: {max_attempts: 2, initial_interval: 10ms}")
        let parent = try await run(try write("parent.yaml", source))
        #expect(parent.output == "second time")
    }

    static let waitingChild = """
        apex: 1
        name: waiter
        steps:
          - id: hold
            wait: {signal: never}
        """

    @Test func aTimedOutAttemptCancelsItsChildBeforeTheStepFails() async throws {
        _ = try write("waiter.yaml", Self.waitingChild)
        let parent = try await run(try write("parent.yaml", """
            apex: 1
            name: parent
            steps:
              - id: call
                workflow: {name: waiter}
                timeout: 200ms
                retry: {max_attempts: 1}
            """))
        #expect(parent.status == .failed)
        #expect(parent.error?.type == "timeout")
        let child = try #require(try await store.run(id: "\(parent.id).call.1"))
        #expect(child.status == .cancelled)
    }

    @Test func cancellingTheParentCancelsTheChild() async throws {
        _ = try write("waiter.yaml", Self.waitingChild)
        let path = try write("parent.yaml", "apex: 1\nname: parent\nsteps:\n  - id: call\n    workflow: {name: waiter}\n")
        let plan = try compile(try String(contentsOfFile: path, encoding: .utf8), path: path)
        let started = try await engine.start(plan: plan, source: try String(contentsOfFile: path, encoding: .utf8), path: path, input: [:])
        let driving = Task { try await engine.drive(runID: started.runID) }
        let childID = "\(started.runID).call.1"
        try await eventually { try await store.run(id: childID)?.currentStep == "hold" }
        try await engine.cancel(runID: started.runID, reason: "enough")
        guard case .finished(let parent) = try await driving.value else { throw WorkflowSourceError("the parent did not finish") }
        #expect(parent.status == .cancelled)
        try await eventually { try await store.run(id: childID)?.status == .cancelled }
    }

    /// Waits (up to 30 s, for a loaded machine) until `condition` holds.
    func eventually(_ condition: () async throws -> Bool) async throws {
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline {
            if try await condition() { return }
            try await Task.sleep(nanoseconds: 20_000_000)
        }
        Issue.record("the condition never held")
    }

    @Test func anInvalidChildFileIsWorkflowFailed() async throws {
        _ = try write("shout.yaml", "apex: 1\nname: shout\nsteps:\n  - id: a\n    next: nowhere\n    set: {x: 1}\n")
        let parent = try await run(try write("parent.yaml", Self.parent("name: shout")))
        let message = try #require(parent.output?.stringValue)
        #expect(message.hasPrefix("workflow \"shout\" (\(folder.path)/shout.yaml) is invalid"))
    }

    func compile(_ source: String, path: String) throws -> Plan {
        try Compiler.compile(WorkflowValidator.validate(data: Data(source.utf8), path: path))
    }
}
