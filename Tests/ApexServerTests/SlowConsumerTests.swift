import ApexCompiler
import ApexDSL
import ApexEngine
import ApexTesting
import Foundation
import Testing
@testable import ApexServer

/// A subscriber that reads slower than deltas arrive is ended with a final `slow_consumer`
/// event once its queue is full, rather than buffered without bound; commits alone never
/// fill it (their wake-ups coalesce).
@Suite struct SlowConsumerTests {
    @Test func aSlowSubscriberIsEndedWithAFinalEvent() async throws {
        let engine = Engine(store: InMemoryRunStore(), executor: Chatty(pieces: 200), configuration: EngineConfiguration(workerID: "slow"))
        let plan = try Compiler.compile(WorkflowValidator.validate(data: Data(Workflows.oneLLM.utf8), path: "one.yaml"))
        let started = try await engine.start(plan: plan, source: Workflows.oneLLM, path: "one.yaml", input: [:], runID: "chatty")
        let pump = EventPump(engine: engine, configuration: ServerConfiguration(streamPollInterval: .seconds(60), streamBuffer: 8),
                             streams: OpenStreams(), source: .run(id: started.runID, after: 0))
        let subscription = pump.subscribe()
        let received = MessageLog()
        let reading = Task {
            try await subscription.run { item in
                received.append(.string(item.name == "end" ? "end:" + (item.json["reason"]?.stringValue ?? "") : item.name))
                try await Task.sleep(for: .milliseconds(20))
            }
        }
        _ = try await engine.drive(runID: started.runID)
        try await reading.value
        #expect(received.all.last == "end:slow_consumer")
        #expect(received.all.count < 100)
    }

    @Test func manyCommitsDoNotFillTheQueue() async throws {
        let engine = Engine(store: InMemoryRunStore(), executor: Chatty(pieces: 0), configuration: EngineConfiguration(workerID: "busy"))
        let plan = try Compiler.compile(WorkflowValidator.validate(data: Data(Workflows.approval.utf8), path: "approval.yaml"))
        let pump = EventPump(engine: engine, configuration: ServerConfiguration(streamPollInterval: .seconds(60), streamBuffer: 2),
                             streams: OpenStreams(), source: .namespace(after: nil))
        let subscription = pump.subscribe()
        let received = MessageLog()
        let reading = Task {
            try await subscription.run { item in
                received.append(.string(item.name))
                try await Task.sleep(for: .milliseconds(5))
            }
        }
        for index in 0..<40 {
            _ = try await engine.start(plan: plan, source: Workflows.approval, path: "approval.yaml", input: ["amount": 1], runID: "busy-\(index)")
        }
        for _ in 0..<500 where received.all.filter({ $0 == "RunStarted" }).count < 40 && !received.all.contains("end") {
            try await Task.sleep(for: .milliseconds(20))
        }
        reading.cancel()
        #expect(!received.all.contains("end"))
        #expect(received.all.filter { $0 == "RunStarted" }.count == 40)
    }
}

/// An llm executor that streams `pieces` deltas, then completes.
private struct Chatty: ActivityExecutor {
    let pieces: Int

    func execute(_ request: ActivityRequest, state: PlanState, secrets: Secrets, progress: ActivityProgress) async -> ActivityResult {
        for index in 0..<pieces { progress.text("piece \(index) ") }
        return .completed(output: "done", usage: nil)
    }
}
