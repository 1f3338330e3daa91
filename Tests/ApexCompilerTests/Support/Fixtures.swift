import ApexCompiler
import ApexDSL
import Foundation
import Testing

/// The workflows under `Fixtures/`, read from the source tree so that recording can rewrite the
/// goldens beside them (`APEX_RECORD_GOLDENS=1 swift test --filter Compiler`; `APEX_UPDATE_GOLDENS=1`
/// does the same).
enum Fixtures {
    static let folder = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()
        .deletingLastPathComponent()
        .appendingPathComponent("Fixtures")

    /// Whether goldens are being recorded rather than compared.
    static var isRecording: Bool {
        let environment = ProcessInfo.processInfo.environment
        return environment["APEX_RECORD_GOLDENS"] == "1" || environment["APEX_UPDATE_GOLDENS"] == "1"
    }

    /// The name of every `<name>.yaml` fixture, sorted.
    static var names: [String] {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return files.filter { $0.hasSuffix(".yaml") }.map { String($0.dropLast(5)) }.sorted()
    }

    static func url(_ name: String, _ suffix: String) -> URL {
        folder.appendingPathComponent(name + suffix)
    }

    static func text(_ name: String) throws -> String {
        try String(contentsOf: url(name, ".yaml"), encoding: .utf8)
    }

    /// Validates `yaml`; the tests' workflows are valid, so any error fails the test.
    static func validated(_ yaml: String, path: String = "test.yaml") -> ValidationResult {
        let result = WorkflowValidator.validate(data: Data(yaml.utf8), path: path)
        let errors = result.diagnostics.filter { $0.severity == .error }
        #expect(errors.isEmpty, "\(path): \(errors.map { "\($0.range.start): \($0.message) [\($0.rule.rawValue)]" })")
        return result
    }

    static func plan(_ yaml: String, path: String = "test.yaml") throws -> Plan {
        try Compiler.compile(validated(yaml, path: path))
    }

    static func plan(named name: String) throws -> Plan {
        try plan(try text(name), path: name + ".yaml")
    }

    /// Compares `actual` with the golden `<name><suffix>`, or rewrites it when recording.
    static func expectGolden(_ actual: String, name: String, suffix: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws {
        let golden = url(name, suffix)
        if isRecording {
            try actual.write(to: golden, atomically: true, encoding: .utf8)
            return
        }
        let expected = try? String(contentsOf: golden, encoding: .utf8)
        #expect(expected != nil, "missing golden \(golden.lastPathComponent); record it with APEX_RECORD_GOLDENS=1", sourceLocation: sourceLocation)
        #expect(actual == expected, "\(golden.lastPathComponent) differs; if the change is intended, record it with APEX_RECORD_GOLDENS=1", sourceLocation: sourceLocation)
    }
}
