import ApexCompiler
import ApexDSL
import ApexEngine
import ApexTesting
import Foundation
import Testing
@testable import ApexServer

/// A subscriber that reads slower than things happen is ended with a final `slow_consumer`
/// event once its queue is full, rather than buffered without bound.
@Suite struct SlowConsumerTests {
    @Test func aSlowSubscriberIsEndedWithAFinalEvent() async throws {
        let store = InMemoryRunStore()
        let engine = Engine(store: store, executor: Idle(), configuration: EngineConfiguration(workerID: "slow"))
        let configuration = ServerConfiguration(streamPollInterval: .seconds(60), streamBuffer: 4)
        let pump = EventPump(engine: engine, configuration: configuration, streams: OpenStreams(), source: .namespace(after: nil))
        let subscription = pump.subscribe()
        let plan = try Compiler.compile(WorkflowValidator.validate(data: Data(Workflows.approval.utf8), path: "approval.yaml"))
        let received = MessageLog()
        let reading = Task {
            try await subscription.run { item in
                received.append(item.json.objectValue?["reason"] ?? .string(item.name))
                try await Task.sleep(for: .milliseconds(100))
            }
        }
        for index in 0..<20 {
            _ = try await engine.start(plan: plan, source: Workflows.approval, path: "approval.yaml", input: ["amount": 1], runID: "slow-\(index)")
        }
        try await reading.value
        #expect(received.all.last == "slow_consumer")
        #expect(received.all.count < 40)
    }
}

private struct Idle: ActivityExecutor {
    func execute(_ request: ActivityRequest, state: PlanState, secrets: Secrets, progress: ActivityProgress) async -> ActivityResult {
        .failed(RunError(type: "test.none", message: "no activity runs here"), retryAfter: nil)
    }
}
