import ApexCompiler
import ApexDSL
import Foundation
import Testing

/// The compiler takes only valid workflows and throws, rather than crashing, on others.
@Suite struct CompileErrorTests {
    static let unknownTarget = """
        apex: 1
        name: broken
        steps:
          - id: first
            set: { a: 1 }
            next: nowhere
        """

    @Test func compilingAResultWithValidationErrorsThrowsThem() {
        let result = WorkflowValidator.validate(data: Data(Self.unknownTarget.utf8), path: "broken.yaml")
        #expect(result.hasErrors)
        #expect(throws: CompileError.invalidWorkflow(result.diagnostics.filter { $0.severity == .error })) {
            try Compiler.compile(result)
        }
    }

    @Test func compilingAnInvalidWorkflowDirectlyThrowsMalformed() throws {
        let result = WorkflowValidator.validate(data: Data(Self.unknownTarget.utf8), path: "broken.yaml")
        let workflow = try #require(result.workflow)
        let error = #expect(throws: CompileError.self) { try Compiler.compile(workflow) }
        guard case .malformed(let message, let range)? = error else {
            Issue.record("expected .malformed, got \(String(describing: error))")
            return
        }
        #expect(message.contains("nowhere"))
        #expect(range.start.line == 6)
    }

    @Test func duplicateStepIDsAreRefused() throws {
        let yaml = """
            apex: 1
            name: twice
            steps:
              - id: same
                set: { a: 1 }
              - id: same
                set: { a: 2 }
            """
        let workflow = try #require(WorkflowValidator.validate(data: Data(yaml.utf8), path: "twice.yaml").workflow)
        #expect(throws: CompileError.self) { try Compiler.compile(workflow) }
    }

    @Test func aWorkflowThatWasNotParsedIsRefused() {
        var workflow = Workflow(source: SourceFile(path: "built.yaml", text: ""))
        workflow.name = Located("built", at: .fileStart)
        #expect(throws: CompileError.self) { try Compiler.compile(workflow) }
    }

    @Test func errorsDescribeThemselves() {
        let error = CompileError.malformed("no step \"x\" in the same list", .at(SourceLocation(line: 3, column: 5), length: 1))
        #expect(error.description == "cannot compile the workflow: no step \"x\" in the same list (at 3:5)")
    }
}
