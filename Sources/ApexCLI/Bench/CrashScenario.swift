import ApexEngine
import Foundation

/// How a child `apex` process reaches the bench's store.
enum ChildStore {
    case sqlite(path: String)
    case postgres(url: String, namespace: String)

    var arguments: [String] {
        switch self {
        case .sqlite(let path): ["--db", "sqlite:" + path]
        case .postgres(_, let namespace): ["-n", namespace]
        }
    }

    /// The URL goes in the environment, so that it appears on no command line.
    var environment: [String: String] {
        switch self {
        case .sqlite: [:]
        case .postgres(let url, _): ["APEX_DATABASE_URL": url]
        }
    }
}

/// The peers' crash scenario with the real binary: `apex run` of `steps` mock llm steps, each
/// taking `stepSeconds`, is SIGKILLed once step `killAfter` (1-based) has started; then `apex
/// resume` drives the run to its end. The mock provider's call log (`APEX_MOCK_LLM_LOG`: one
/// line per call) counts the executions of each step.
struct CrashScenario {
    struct Outcome {
        /// Seconds from the kill to `apex resume`'s exit with the result (it is started at once).
        var killToResult: Double
        var totalExecutions: Int
        var executionsPerStep: [String: Int]
    }

    let store: ChildStore
    let steps: Int
    let stepSeconds: Double

    var killAfter: Int { steps / 2 }

    func run() async throws -> Outcome {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("apex-bench-crash-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        // The peers' crash workflow retries after 200 ms too (the default is 1 s).
        let workflow = try BenchWorkflow.llmChain(steps, retry: "{initial_interval: 200ms, jitter: 0}")
        let (file, fixtures, callLog) = (folder + "/crash.yaml", folder + "/fixtures.yaml", folder + "/calls.log")
        try workflow.source.write(toFile: file, atomically: true, encoding: .utf8)
        let delay = "\(Int(stepSeconds * 1000))ms"
        try (0..<steps).map { "l\($0): {delay: \(delay)}\n" }.joined().write(toFile: fixtures, atomically: true, encoding: .utf8)
        let runID = RunIDGenerator.make()

        let first = try child(["run", file, "--llm-fixtures", fixtures, "--id", runID], callLog: callLog)
        defer { if first.isRunning { first.terminate() } }
        while executions(callLog).count < killAfter {
            guard first.isRunning else { throw BenchFailure("apex run ended before step \(killAfter) started (status \(first.terminationStatus))") }
            try await Task.sleep(nanoseconds: 2_000_000)
        }
        kill(first.processIdentifier, SIGKILL)
        first.waitUntilExit()
        let killed = DispatchTime.now().uptimeNanoseconds

        let resume = try child(["resume", runID], callLog: callLog)
        defer { if resume.isRunning { resume.terminate() } }
        while resume.isRunning { try await Task.sleep(nanoseconds: 2_000_000) }
        let killToResult = LatencySample.elapsed(since: killed) / 1000
        guard resume.terminationStatus == 0 else { throw BenchFailure("apex resume \(runID) exited with status \(resume.terminationStatus)") }
        let calls = executions(callLog)
        return Outcome(killToResult: killToResult, totalExecutions: calls.count,
                       executionsPerStep: Dictionary(calls.map { ($0, 1) }, uniquingKeysWith: +))
    }

    /// `apex ARGUMENTS` on the store, its mock calls logged to `callLog`.
    private func child(_ arguments: [String], callLog: String) throws -> Process {
        try ChildApex.start(arguments + store.arguments, environment: store.environment.merging(["APEX_MOCK_LLM_LOG": callLog]) { _, new in new })
    }

    /// The step of each mock call so far (the first word of each line of the log).
    private func executions(_ callLog: String) -> [String] {
        guard let text = try? String(contentsOfFile: callLog, encoding: .utf8) else { return [] }
        return text.split(separator: "\n").compactMap { $0.split(separator: " ").first.map(String.init) }
    }
}
