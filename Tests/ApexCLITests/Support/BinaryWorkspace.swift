import ApexDSL
import Foundation
import Testing

/// A suite that runs the built `apex` in a temporary folder of its own, with its own home (the
/// store) and the mock provider's call log.
protocol BinaryWorkspace {
    var folder: TemporaryFolder { get }
    var environment: [String: String] { get }
}

extension BinaryWorkspace {
    var callLog: String { folder.path + "/calls.log" }

    /// The environment of such a suite in `folder`.
    static func environment(in folder: TemporaryFolder) -> [String: String] {
        ["APEX_HOME": folder.path + "/home", "APEX_MOCK_LLM_LOG": folder.path + "/calls.log", "NO_COLOR": "1"]
    }

    func apex(_ arguments: String..., in directory: String? = nil, adding extra: [String: String] = [:]) async throws -> CommandResult {
        try await ApexBinary.run(arguments, in: directory ?? folder.path, environment: environment.merging(extra) { _, new in new })
    }

    func background(_ arguments: String..., in directory: String? = nil) throws -> BackgroundApex {
        try BackgroundApex(arguments, in: directory ?? folder.path, environment: environment)
    }

    /// The run's stored events, parsed.
    func history(_ run: String) async throws -> [JSONValue] {
        try await apex("history", run, "--json").output.split(separator: "\n").map { try JSONValue(parsing: String($0)) }
    }

    func waitFor(_ run: String, event type: String, step: String? = nil, within seconds: Double = 20) async throws {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if (try? await history(run))?.contains(where: { $0["type"]?.stringValue == type && (step == nil || $0["step"]?.stringValue == step) }) == true { return }
            try await Task.sleep(nanoseconds: 50_000_000)
        }
        Issue.record("run \(run) never recorded \(type) \(step ?? "")")
    }

    /// Calls the mock provider logged, by step key.
    func calls() -> [String: Int] {
        let text = (try? String(contentsOfFile: callLog, encoding: .utf8)) ?? ""
        var counts: [String: Int] = [:]
        for line in text.split(separator: "\n") { counts[String(line.split(separator: " ")[0]), default: 0] += 1 }
        return counts
    }
}
