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
        return names.filter { $0.hasSuffix(".yaml") }.sorted()
    }

    @Test(arguments: files)
    func exampleCompilesAndDrawsEveryState(file: String) throws {
        // The real path: child workflows are found relative to it.
        let path = Self.folder.appendingPathComponent(file).path
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let plan = try Fixtures.plan(text, path: path)
        #expect(plan.definitionHash.count == 64)
        #expect(plan.definitionHash == (try Fixtures.plan(text, path: path)).definitionHash)
        let mermaid = plan.mermaid
        for state in plan.states {
            #expect(mermaid.contains("\"\(state.stepID)<br/>\(state.kind.rawValue)\""), "\(file): \(state.stepID)")
        }
    }
}
