import ApexCompiler
import ApexDSL
import ApexEngine
import Foundation

/// The workflows `apex bench engine` starts and drives, compiled once.
struct BenchWorkflow {
    let plan: Plan
    let source: String
    let path: String

    init(_ source: String, name: String) throws {
        self.source = source
        path = "\(name).yaml"
        plan = try Compiler.compile(WorkflowValidator.validate(data: Data(source.utf8), path: path))
    }

    var definition: WorkflowDefinition { WorkflowDefinition(plan: plan, source: source, path: path) }

    /// One `set` step: the smallest run there is.
    static func oneStep() throws -> BenchWorkflow {
        try BenchWorkflow("""
            apex: 1
            name: bench-one-step
            steps:
              - id: only
                set: {done: true}
            output: ${{ steps.only.output.done }}
            """, name: "bench-one-step")
    }

    /// `count` `set` steps in a row, each reading the variable the one before wrote.
    static func setChain(_ count: Int) throws -> BenchWorkflow {
        var text = "apex: 1\nname: bench-set-\(count)\nvars: {n: 0}\nsteps:\n"
        for index in 0..<count {
            text += "  - id: s\(index)\n    set: {n: \"${{ vars.n + 1 }}\"}\n"
        }
        return try BenchWorkflow(text + "output: ${{ vars.n }}\n", name: "bench-set-\(count)")
    }

    /// `count` `llm` steps of `provider` in a row, each prompt reading the previous reply;
    /// `retry`, a retry policy for them all (`{initial_interval: 200ms}`).
    static func llmChain(_ count: Int, provider: String = "mock", retry: String? = nil) throws -> BenchWorkflow {
        var text = "apex: 1\nname: bench-llm-\(count)\nllm: {provider: \(provider), model: bench}\n"
        if let retry { text += "defaults: {retry: \(retry)}\n" }
        text += "steps:\n"
        for index in 0..<count {
            let previous = index == 0 ? "'start'" : "steps.l\(index - 1).output.text"
            text += "  - id: l\(index)\n    llm: {prompt: \"Step \(index) continues ${{ \(previous) }}\"}\n"
        }
        return try BenchWorkflow(text, name: "bench-llm-\(count)")
    }

    /// A `set` step that loops on itself until `max_visits` fails the run: RunStarted, two
    /// events per visit and RunFailed(loop.limit), so `events` (even) events in all.
    static func setLoop(events: Int) throws -> BenchWorkflow {
        try BenchWorkflow("""
            apex: 1
            name: bench-loop-\(events)
            vars: {n: 0}
            defaults: {max_visits: \((events - 2) / 2)}
            steps:
              - id: again
                set: {n: "${{ vars.n + 1 }}"}
                next: again
            """, name: "bench-loop-\(events)")
    }

    /// Sleeps an hour: the run waits on a durable timer.
    static func sleepHour() throws -> BenchWorkflow {
        try BenchWorkflow("""
            apex: 1
            name: bench-sleep
            steps:
              - id: nap
                sleep: 1h
            """, name: "bench-sleep")
    }

    /// Sleeps `seconds` on a durable timer: the peers' timer scenario.
    static func sleep(seconds: Int) throws -> BenchWorkflow {
        try BenchWorkflow("""
            apex: 1
            name: bench-sleep-\(seconds)s
            steps:
              - id: nap
                sleep: \(seconds)s
            """, name: "bench-sleep-\(seconds)s")
    }

    /// Waits for the signal `go`.
    static func waitSignal() throws -> BenchWorkflow {
        try BenchWorkflow("""
            apex: 1
            name: bench-wait
            steps:
              - id: gate
                wait: {signal: go}
            """, name: "bench-wait")
    }
}
