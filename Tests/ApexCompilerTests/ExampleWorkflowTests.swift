import ApexCompiler
import Foundation
import Testing

/// The example workflows under `workflows/` (which use expressions, schemas and every step kind)
/// compile, and draw every one of their states.
@Suite struct ExampleWorkflowTests {
    static let folder = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("workflows")

    static var files: [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        // Test files (`*.test.yaml`) beside them are not workflows.
        return names.filter { $0.hasSuffix(".yaml") && !$0.hasSuffix(".test.yaml") }.sorted()
    }

    /// The plan of example `file`, compiled at its real path (child workflows are found
    /// relative to it).
    static func plan(_ file: String) throws -> Plan {
        let path = folder.appendingPathComponent(file).path
        return try Fixtures.plan(try String(contentsOfFile: path, encoding: .utf8), path: path)
    }

    @Test(arguments: files)
    func exampleCompilesAndDrawsEveryState(file: String) throws {
        let plan = try Self.plan(file)
        #expect(plan.definitionHash.count == 64)
        #expect(plan.definitionHash == (try Self.plan(file)).definitionHash)
        let mermaid = plan.mermaid
        for state in plan.states {
            // An agent's label goes on with its tools.
            let label = "\"\(state.stepID)<br/>\(state.kind.rawValue)"
            #expect(mermaid.contains(label + "\"") || mermaid.contains(label + "<br/>"), "\(file): \(state.stepID)")
        }
    }
}
