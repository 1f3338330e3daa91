import ApexDSL
import Foundation
import Testing

/// The built binary keeping the promises of self-contained runs: signals sent in a row while
/// nothing drives a run, children pinned by path and found with their files gone, a run's llm
/// routing recorded at its start (resume and worker need no flags; a missing key is refused
/// before anything is appended), and scripted fixtures whose call positions come from the
/// history.
@Suite(.enabled(if: ApexBinary.url != nil, "the apex executable has not been built"), .serialized, .timeLimit(.minutes(3)))
struct PromiseEndToEndTests: BinaryWorkspace {
    let folder: TemporaryFolder
    let environment: [String: String]

    init() throws {
        folder = try TemporaryFolder()
        environment = Self.environment(in: folder)
    }

    private func runStarted(_ run: String) async throws -> JSONValue? {
        try await history(run).first { $0["type"] == "RunStarted" }
    }

    private func json(_ text: String) throws -> JSONValue {
        try JSONValue(parsing: text)
    }

    // MARK: 1. Outside events in a row are one batch

    @Test func twoSignalsSentWhileNothingDrivesTheRunAreBothConsumedOnResume() async throws {
        try folder.write("approval.yaml", """
            apex: 1
            name: approval
            steps:
              - id: approval
                wait: {signal: approve}
              - id: note
                wait: {signal: note}
            output:
              approval: ${{ steps.approval.output }}
              note: ${{ steps.note.output }}
            """)
        #expect(try await apex("run", "approval.yaml", "--detach", "--id", "x1").status == 0)
        #expect(try await apex("signal", "x1", "approve", "--data", #"{"ok": true}"#).status == 0)
        #expect(try await apex("signal", "x1", "note", "--data", #""later""#).status == 0)
        let types = try await history("x1").compactMap { $0["type"]?.stringValue }
        #expect(Array(types.suffix(2)) == ["SignalReceived", "SignalReceived"])

        let resumed = try await apex("resume", "x1")
        #expect(resumed.status == 0, "\(resumed.error)")
        #expect(try json(resumed.output) == ["approval": ["ok": true], "note": "later"])
        let consumed = try await history("x1").filter { $0["type"] == "SignalConsumed" }.compactMap { $0["step"]?.stringValue }
        #expect(consumed == ["approval", "note"])
        let replay = try await apex("replay", "x1")
        #expect(replay.status == 0, "\(replay.output)\(replay.error)")
    }

    // MARK: 2. Runs are self-contained

    @Test func fileChildrenArePinnedAndFoundFromAnyFolderAfterTheFilesAreGone() async throws {
        try folder.write("flows/parent.yaml", """
            apex: 1
            name: parent
            steps:
              - id: go
                wait: {signal: go}
              - id: call
                workflow: {file: child.yaml, input: {topic: "${{ steps.go.output.topic }}"}}
            output: ${{ steps.call.output }}
            """)
        try folder.write("flows/child.yaml", """
            apex: 1
            name: child
            input: {type: object, properties: {topic: {type: string}}}
            steps:
              - id: inner
                workflow: {file: sub/grand.yaml, input: {topic: "${{ input.topic }}"}}
            output: {child: child v1, grand: "${{ steps.inner.output.grand }}"}
            """)
        try folder.write("flows/sub/grand.yaml", """
            apex: 1
            name: grand
            input: {type: object, properties: {topic: {type: string}}}
            steps:
              - id: say
                set: {text: "grand v1 on ${{ input.topic }}"}
            output: {grand: "${{ steps.say.output.text }}"}
            """)
        // One run started from the folder above flows/, one from inside it.
        #expect(try await apex("run", "flows/parent.yaml", "--detach", "--id", "from-above").status == 0)
        #expect(try await apex("run", "parent.yaml", "--detach", "--id", "from-inside", in: folder.path + "/flows").status == 0)

        let pins = try #require(try await runStarted("from-above"))
        #expect(try await runStarted("from-inside")?["path"] == pins["path"])
        #expect(try await runStarted("from-inside")?["children"] == pins["children"])
        let path = try #require(pins["path"]?.stringValue)
        #expect(path.hasPrefix("/") && path.hasSuffix("/flows/parent.yaml"))
        let flows = String(path.dropLast("/parent.yaml".count))
        let children = pins["children"]?.objectValue.map { Array($0.keys) } ?? []
        #expect(children == [flows + "/child.yaml", flows + "/sub/grand.yaml"])
        #expect(pins["children"]?.objectValue?.values.allSatisfy { $0.stringValue?.isEmpty == false } == true)

        // Everything else happens elsewhere, with the child files gone or changed.
        let elsewhere = try folder.makeFolder("elsewhere")
        #expect(try await apex("show", "from-above", in: elsewhere).status == 0)
        #expect(try await apex("history", "from-above", in: elsewhere).status == 0)
        #expect(try await apex("signal", "from-above", "go", "--data", #"{"topic": "cats"}"#, in: elsewhere).status == 0)
        #expect(try await apex("signal", "from-inside", "go", "--data", #"{"topic": "dogs"}"#, in: elsewhere).status == 0)
        try FileManager.default.moveItem(atPath: folder.path + "/flows/child.yaml", toPath: folder.path + "/flows/child-renamed.yaml")
        try FileManager.default.removeItem(atPath: folder.path + "/flows/sub")
        // A file at the old path with another output: reading it would show.
        try folder.write("flows/child.yaml", "apex: 1\nname: child\nsteps:\n  - id: inner\n    set: {x: 1}\noutput: {child: child v2}\n")

        let resumed = try await apex("resume", "from-above", in: elsewhere)
        #expect(resumed.status == 0, "\(resumed.error)")
        #expect(try json(resumed.output) == ["child": "child v1", "grand": "grand v1 on cats"])

        let worker = try background("worker", in: elsewhere)
        try await waitFor("from-inside", event: "RunCompleted")
        worker.terminate()
        let stopped = try await worker.wait()
        #expect(stopped.status == 0, "\(stopped.error)")
        let completed = try await history("from-inside").first { $0["type"] == "RunCompleted" }
        #expect(completed?["output"] == ["child": "child v1", "grand": "grand v1 on dogs"])
        #expect(try await apex("replay", "from-above", in: elsewhere).status == 0)
    }

    // MARK: 3. Provider routing belongs to the run

    @Test func aRunStartedOnTheMockIsResumedOnTheMockWithoutFlagsOrKeys() async throws {
        // The steps name openai, whose key nobody has here.
        try folder.write("routed.yaml", """
            apex: 1
            name: routed
            llm: {provider: openai, model: gpt-4o-mini}
            steps:
              - id: before
                llm: {prompt: first}
              - id: nap
                sleep: 3s
              - id: after
                llm: {prompt: second}
            output:
              first: ${{ steps.before.output.text }}
              second: ${{ steps.after.output.text }}
            """)
        let first = try background("run", "routed.yaml", "--mock-llm", "--id", "routed")
        try await waitFor("routed", event: "TimerStarted")
        first.kill()
        #expect(try await runStarted("routed")?["llm_routing"] == ["mock": true])
        let resumed = try await apex("resume", "routed")
        #expect(resumed.status == 0, "\(resumed.error)")
        #expect(try json(resumed.output) == ["first": "Mock reply to: first", "second": "Mock reply to: second"])
        #expect(calls() == ["before": 1, "after": 1])
    }

    @Test func aRunWhoseProviderKeyIsMissingIsRefusedByResumeAndLeftAloneByTheWorker() async throws {
        try folder.write("keyed.yaml", """
            apex: 1
            name: keyed
            llm: {provider: openai, model: gpt-4o-mini}
            steps:
              - id: ask
                llm: {prompt: hello}
            output: ${{ steps.ask.output.text }}
            """)
        // The base URL points at a closed local port: nothing could reach a real API.
        let started = try await apex("run", "keyed.yaml", "--detach", "--id", "keyed",
                                     adding: ["OPENAI_API_KEY": "sk-test", "OPENAI_BASE_URL": "http://127.0.0.1:9/v1"])
        #expect(started.status == 0, "\(started.error)")
        #expect(try await runStarted("keyed")?["llm_routing"] == ["mock": false])
        let before = try await history("keyed")

        let refused = try await apex("resume", "keyed")
        #expect(refused.status == 2)
        #expect(refused.error.contains("OPENAI_API_KEY"), "\(refused.error)")
        #expect(refused.error.contains("unchanged"), "\(refused.error)")
        #expect(try await history("keyed") == before)
        // Flags given again do not reroute a run that recorded its routing.
        let flagged = try await apex("resume", "keyed", "--mock-llm")
        #expect(flagged.status == 2, "\(flagged.error)")
        #expect(try await history("keyed") == before)

        // The worker polls ten times a second: after it first logs the run, another 3 s
        // would log it some thirty times more if it did not leave the run alone.
        let worker = try background("worker")
        let deadline = Date().addingTimeInterval(20)
        while !worker.errorSoFar.contains("run keyed "), Date() < deadline { try await Task.sleep(nanoseconds: 50_000_000) }
        try await Task.sleep(nanoseconds: 3_000_000_000)
        worker.terminate()
        let stopped = try await worker.wait()
        #expect(stopped.status == 0, "\(stopped.error)")
        let mentions = stopped.error.split(separator: "\n").filter { $0.contains("run keyed ") }
        #expect(mentions.count == 1, "\(stopped.error)")
        #expect(mentions.first?.contains("OPENAI_API_KEY") == true)
        #expect(try await history("keyed") == before)
        #expect(calls().isEmpty)
    }

    // MARK: 4. Fixtures script calls

    @Test func aSchemaMismatchIsRetriedAndTheNextScriptedReplyAnswers() async throws {
        try folder.write("classify.yaml", """
            apex: 1
            name: classify
            llm: {provider: openai, model: gpt-4o-mini}
            steps:
              - id: classify
                llm:
                  prompt: "Classify: I was charged twice"
                  schema: {type: object, required: [category], properties: {category: {type: string}}}
                retry: {max_attempts: 3, initial_interval: 10ms}
            output: ${{ steps.classify.output.data.category }}
            """)
        try folder.write("fixtures.yaml", """
            classify:
              - not-json
              - '{"category":"billing"}'
            """)
        let result = try await apex("run", "classify.yaml", "--llm-fixtures", "fixtures.yaml", "--id", "schema")
        #expect(result.status == 0, "\(result.error)")
        #expect(try json(result.output) == "billing")
        let events = try await history("schema").filter { $0["step"] == "classify" && ($0["type"] == "StepFailed" || $0["type"] == "StepCompleted") }
        #expect(events.map { $0["type"] } == ["StepFailed", "StepCompleted"])
        #expect(events.first?["attempt"] == 1)
        #expect(events.first?["error"]?["type"] == "llm.schema_mismatch")
        #expect(events.first?["retry_at"]?.stringValue != nil)
        #expect(events.last?["attempt"] == 2)
        #expect(events.last?["output"]?["data"] == ["category": "billing"])
        #expect(calls() == ["classify": 2])
        #expect(try await runStarted("schema")?["llm_routing"] == ["mock": true, "fixtures": ["classify": ["not-json", #"{"category":"billing"}"#]]])
    }

    @Test func matchedRepliesAnswerEachElementOfAConcurrentForeach() async throws {
        try folder.write("sorter.yaml", """
            apex: 1
            name: sorter
            llm: {provider: openai, model: gpt-4o-mini}
            steps:
              - id: each
                foreach:
                  in: ${{ ["apple", "brick", "cloud", "dune"] }}
                  concurrency: 3
                  steps:
                    - id: name
                      llm: {prompt: "What is ${{ item }}?"}
                      retry: {max_attempts: 3, initial_interval: 10ms}
            output: ${{ steps.each.output.*.text }}
            """)
        try folder.write("fixtures.yaml", """
            name:
              - {match: apple, text: fruit}
              - {match: brick, text: stone, error: llm.server_error, fail_attempts: 1}
              - {match: cloud, text: sky}
              - something else
            """)
        let result = try await apex("run", "sorter.yaml", "--llm-fixtures", "fixtures.yaml", "--id", "sorter")
        #expect(result.status == 0, "\(result.error)")
        #expect(try json(result.output) == ["fruit", "stone", "sky", "something else"])
        let failures = try await history("sorter").filter { $0["type"] == "StepFailed" }
        #expect(failures.count == 1)
        #expect(failures.first?["error"]?["type"] == "llm.server_error")
        #expect(calls().values.sorted() == [1, 1, 1, 2])
    }

    @Test func aResumedRunTakesTheNextEntryOfItsListNotTheFirst() async throws {
        try folder.write("counted.yaml", """
            apex: 1
            name: counted
            llm: {provider: openai, model: gpt-4o-mini}
            steps:
              - id: each
                foreach:
                  in: ${{ [1, 2, 3] }}
                  steps:
                    - id: say
                      llm: {prompt: "item ${{ item }}"}
                    - id: rest
                      sleep: 2s
            output: ${{ steps.each.output }}
            """)
        try folder.write("fixtures.yaml", "say: [one, two, three]\n")
        let first = try background("run", "counted.yaml", "--llm-fixtures", "fixtures.yaml", "--id", "counted")
        try await waitFor("counted", event: "StepCompleted", step: "each[0]/say")
        first.kill()
        // The run recorded the fixtures' content: the file is not needed any more.
        try FileManager.default.removeItem(atPath: folder.path + "/fixtures.yaml")
        let resumed = try await apex("resume", "counted")
        #expect(resumed.status == 0, "\(resumed.error)")
        let texts = try await history("counted").filter { $0["type"] == "StepCompleted" && $0["step"]?.stringValue?.hasSuffix("/say") == true }
            .map { $0["output"]?["text"] }
        #expect(texts == ["one", "two", "three"])
        #expect(calls() == ["each[0]/say": 1, "each[1]/say": 1, "each[2]/say": 1])
    }
}
