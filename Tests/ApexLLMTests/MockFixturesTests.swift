import ApexDSL
import ApexEngine
@testable import ApexLLM
import Foundation
import Testing

/// Scripted replies (docs/cli.md, "Mock fixtures"): which reply each call of a step gets, by
/// its call number, its attempt and its messages.
@Suite struct MockFixturesTests {
    private func request(_ prompt: String = "hello", step: String = "s", visit: Int = 1, attempt: Int = 1, call: Int,
                         system: String? = nil) -> LLMRequest {
        var messages: [LLMRequest.Message] = []
        if let system { messages.append(.init(role: "system", content: system)) }
        messages.append(.init(role: "user", content: prompt))
        return LLMRequest(stepID: step, stepKey: step, visit: visit, attempt: attempt, call: call, model: nil, messages: messages,
                          temperature: nil, maxTokens: nil, stop: [], schema: nil)
    }

    /// What `fixtures` answer a call: its text, or `!type` for a scripted error; nil without a script.
    private func outcome(_ fixtures: MockFixtures, _ request: LLMRequest) -> String? {
        guard let answer = fixtures.answer(request) else { return nil }
        if let error = answer.error { return "!" + error.type }
        return answer.text
    }

    private func outcomes(_ fixtures: MockFixtures, calls: ClosedRange<Int>) -> [String?] {
        calls.map { outcome(fixtures, request(call: $0)) }
    }

    // MARK: Lists

    @Test func aListGivesOneReplyPerCallInCallOrderAndItsLastEntryRepeats() throws {
        let fixtures = try MockFixtures(json: ["s": ["a", "b", "c"]])
        #expect(outcomes(fixtures, calls: 1...6) == ["a", "b", "c", "c", "c", "c"])
        // The position is the call number, whatever the visit and attempt.
        #expect(outcome(fixtures, request(visit: 3, attempt: 2, call: 2)) == "b")
    }

    @Test func aOneElementListIsAListItsEntryAnsweringEveryCall() throws {
        let fixtures = try MockFixtures(json: ["s": ["only"]])
        #expect(outcomes(fixtures, calls: 1...3) == ["only", "only", "only"])
        // Its fail_attempts are failing calls of the run, not attempts of each visit.
        let failing = try MockFixtures(json: ["s": [["error": "llm.timeout", "fail_attempts": 1, "text": "t"]]])
        #expect(outcome(failing, request(visit: 1, attempt: 1, call: 1)) == "!llm.timeout")
        #expect(outcome(failing, request(visit: 1, attempt: 2, call: 2)) == "t")
        #expect(outcome(failing, request(visit: 2, attempt: 1, call: 3)) == "t")
        // The same through init(replies:).
        let built = MockFixtures(replies: ["s": [.init(text: "t", error: LLMError(type: "llm.timeout", message: "m"), failAttempts: 1)]])
        #expect(outcome(built, request(visit: 2, attempt: 1, call: 3)) == "t")
    }

    @Test func aListEntryWithFailAttemptsStandsForThatManyFailingCallsThenItsAnswer() throws {
        let fixtures = try MockFixtures(json: ["s": [["error": "llm.server_error", "fail_attempts": 2, "text": "first"], "second"]])
        #expect(outcomes(fixtures, calls: 1...5) == ["!llm.server_error", "!llm.server_error", "first", "second", "second"])
    }

    @Test func aListEntryWithAnErrorAndNoFailAttemptsIsOneFailingCall() throws {
        let fixtures = try MockFixtures(json: ["s": [["error": "llm.rate_limited"], "after"]])
        #expect(outcomes(fixtures, calls: 1...3) == ["!llm.rate_limited", "after", "after"])
        // As the last entry, it fails every call after the list.
        let failing = try MockFixtures(json: ["s": ["ok", ["error": "llm.overloaded"]]])
        #expect(outcomes(failing, calls: 1...4) == ["ok", "!llm.overloaded", "!llm.overloaded", "!llm.overloaded"])
    }

    @Test func aLastEntryWithFailAttemptsRepeatsItsAnswerNotItsFailures() throws {
        let fixtures = try MockFixtures(json: ["s": ["zero", ["error": "llm.timeout", "fail_attempts": 1, "text": "late"]]])
        #expect(outcomes(fixtures, calls: 1...5) == ["zero", "!llm.timeout", "late", "late", "late"])
    }

    // MARK: Single replies

    @Test func aSingleReplyAnswersEveryCall() throws {
        let fixtures = try MockFixtures(json: ["s": "always"])
        #expect(outcomes(fixtures, calls: 1...4) == ["always", "always", "always", "always"])
        #expect(outcome(fixtures, request(visit: 2, attempt: 3, call: 9)) == "always")
    }

    @Test func aSingleReplyWithFailAttemptsFailsTheFirstAttemptsOfEachVisit() throws {
        let fixtures = try MockFixtures(json: ["s": ["error": "llm.rate_limited", "retry_after": "2s", "fail_attempts": 2, "text": "done"]])
        let visit1 = (1...3).map { outcome(fixtures, request(visit: 1, attempt: $0, call: $0)) }
        let visit2 = (1...3).map { outcome(fixtures, request(visit: 2, attempt: $0, call: 3 + $0)) }
        #expect(visit1 == ["!llm.rate_limited", "!llm.rate_limited", "done"])
        #expect(visit2 == ["!llm.rate_limited", "!llm.rate_limited", "done"])
        let error = try #require(fixtures.answer(request(call: 1))?.error)
        #expect(error.retryAfter == .seconds(2))
        #expect(error.message == "scripted llm.rate_limited")
    }

    @Test func aSingleErrorWithoutFailAttemptsFailsEveryAttempt() throws {
        let fixtures = try MockFixtures(json: ["s": ["error": "llm.auth", "message": "no key"]])
        let answers = (1...5).map { fixtures.answer(request(attempt: $0, call: $0)) }
        #expect(answers.allSatisfy { $0?.error == LLMError(type: "llm.auth", message: "no key") })
    }

    @Test func aStepWithoutAScriptGetsNoAnswer() throws {
        let fixtures = try MockFixtures(json: ["other": "x"])
        #expect(fixtures.answer(request(call: 1)) == nil)
    }

    // MARK: match

    @Test func theFirstMatchingEntryWinsAndOthersGoByPosition() throws {
        let fixtures = try MockFixtures(json: ["s": [
            ["match": "apple", "text": "A1"],
            ["match": "app", "text": "A2"],
            "plain",
        ]])
        #expect(outcome(fixtures, request("an apple pie", call: 1)) == "A1")
        #expect(outcome(fixtures, request("an application", call: 2)) == "A2")
        #expect(outcome(fixtures, request("a banana", call: 3)) == "plain")
    }

    @Test func matchedCallsCountTowardThePositionOfPlainEntries() throws {
        // The documented simplification: plain entries are taken by the call's number among
        // all of the step's calls, matched ones included.
        let fixtures = try MockFixtures(json: ["s": [["match": "special", "text": "S"], "p1", "p2", "p3"]])
        #expect(outcome(fixtures, request("special one", call: 1)) == "S")
        #expect(outcome(fixtures, request("ordinary", call: 2)) == "p2")
        #expect(outcome(fixtures, request("ordinary", call: 9)) == "p3")
    }

    @Test func matchLooksAtEveryMessageAndAMatchAloneIsAList() throws {
        let fixtures = try MockFixtures(json: ["s": ["match": "pirate", "text": "arr"]])
        #expect(outcome(fixtures, request("hello", call: 1, system: "You are a pirate")) == "arr")
        // No entry matches and there is no plain entry: the mock makes a reply up.
        #expect(fixtures.answer(request("hello", call: 2)) == nil)
    }

    @Test func aMatchedEntrysFailAttemptsCountTheVisitsAttempts() throws {
        let fixtures = try MockFixtures(json: ["s": [["match": "x", "error": "llm.timeout", "fail_attempts": 1, "text": "ok"], "plain"]])
        #expect(outcome(fixtures, request("x", visit: 1, attempt: 1, call: 7)) == "!llm.timeout")
        #expect(outcome(fixtures, request("x", visit: 1, attempt: 2, call: 8)) == "ok")
        #expect(outcome(fixtures, request("x", visit: 2, attempt: 1, call: 9)) == "!llm.timeout")
    }

    // MARK: Reply fields

    @Test func dataIsTheCompactJSONOfItsValueAndDelayIsKept() throws {
        let fixtures = try MockFixtures(json: ["s": ["data": ["category": "billing", "score": 2], "delay": "250ms"]])
        let answer = try #require(fixtures.answer(request(call: 1)))
        #expect(answer.text == #"{"category":"billing","score":2}"#)
        #expect(answer.delay == Duration(milliseconds: 250))
        #expect(answer.error == nil)
    }

    @Test func aScriptedDelayMakesTheCallSlow() async throws {
        let provider = MockLLMProvider(fixtures: try MockFixtures(json: ["s": ["text": "slow", "delay": "200ms"]]))
        let clock = ContinuousClock()
        let start = clock.now
        let reply = try await provider.complete(request(call: 1), progress: .ignored)
        #expect(reply.text == "slow")
        #expect(clock.now - start >= .milliseconds(200))
    }

    @Test func unknownAndMalformedFieldsAreErrors() throws {
        #expect(message(["s": ["txt": "typo"]])?.contains(#"unknown field "txt" in a reply of s"#) == true)
        #expect(message(["s": ["text": "a", "retries": 2]])?.contains(#"unknown field "retries""#) == true)
        #expect(message(["s": []])?.contains("the replies of s are an empty list") == true)
        #expect(message(["s": ["text": "a", "delay": "soon"]])?.contains("delay of s is not a duration") == true)
        #expect(message(["s": ["error": "llm.timeout", "retry_after": "later"]])?.contains("retry_after of s is not a duration") == true)
        #expect(message(["s": ["error": "llm.timeout", "fail_attempts": -1]])?.contains("fail_attempts of s must be a whole number") == true)
        // Fields that only shape an error are refused without one, rather than ignored.
        #expect(message(["s": ["text": "ok", "fail_attempts": 2]])?.contains("fail_attempts in a reply of s needs an error") == true)
        #expect(message(["s": ["ok", ["retry_after": "1s"]]])?.contains("retry_after in a reply of s needs an error") == true)
        #expect(message(["s": [1]])?.contains("must be a string or a mapping") == true)
        #expect(message(["s", "t"])?.contains("must be a mapping from step id to replies") == true)
    }

    private func message(_ json: JSONValue) -> String? {
        do {
            _ = try MockFixtures(json: json)
            return nil
        } catch {
            return "\(error)"
        }
    }

    // MARK: The recorded form

    @Test func theJSONOfAFileIsWhatARunRecordsAndReadsBackTheSame() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("apex-fixtures-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("fixtures.yaml").path
        try """
            classify:
              - not-json
              - '{"category":"billing"}'
            draft:
              error: llm.rate_limited
              retry_after: 1s
              fail_attempts: 1
              text: hello
            route:
              - {match: refund, data: {team: billing}, delay: 10ms}
              - general
            """.write(toFile: path, atomically: true, encoding: .utf8)
        let json = try MockFixtures.json(path: path)
        #expect(json["classify"] == ["not-json", #"{"category":"billing"}"#])
        #expect(json["draft"]?["fail_attempts"] == 1)
        // Stored as text and read back, the same value and the same answers.
        let stored = try JSONValue(parsing: json.compactJSON)
        #expect(stored == json)
        let fromFile = try MockFixtures(path: path)
        let fromRecord = try MockFixtures(json: stored)
        let requests = [
            request(step: "classify", call: 1), request(step: "classify", call: 2), request(step: "classify", call: 3),
            request(step: "draft", attempt: 1, call: 1), request(step: "draft", attempt: 2, call: 2),
            request("refund please", step: "route", call: 1), request("hi", step: "route", call: 2), request(step: "nobody", call: 1),
        ]
        #expect(requests.map { fromRecord.answer($0) } == requests.map { fromFile.answer($0) })
        #expect(requests.map { outcome(fromRecord, $0) } == [
            "not-json", #"{"category":"billing"}"#, #"{"category":"billing"}"#, "!llm.rate_limited", "hello", #"{"team":"billing"}"#, "general", nil,
        ])
    }

    @Test func aFileThatCannotBeReadOrIsNotFixturesIsRefused() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("apex-fixtures-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(throws: FixtureError.self) { try MockFixtures.json(path: folder.appendingPathComponent("missing.yaml").path) }
        let typo = folder.appendingPathComponent("typo.yaml").path
        try "s: {txet: hello}\n".write(toFile: typo, atomically: true, encoding: .utf8)
        let error = #expect(throws: FixtureError.self) { try MockFixtures.json(path: typo) }
        #expect(error?.description.contains(#"unknown field "txet""#) == true)
        let list = folder.appendingPathComponent("list.yaml").path
        try "- a\n- b\n".write(toFile: list, atomically: true, encoding: .utf8)
        #expect(throws: FixtureError.self) { try MockFixtures.json(path: list) }
    }
}
