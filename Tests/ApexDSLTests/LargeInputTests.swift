import Foundation
import Testing

@testable import ApexDSL

/// Files at the documented limits (10,000 steps, 4 MiB) validate in time linear in their size.
/// The bounds are generous (a debug build on a busy machine); before the fixes these files took
/// minutes even in a release build, because every did-you-mean looked at every step id, every
/// `required` name was compared with every other, and every expression on a long line walked
/// the line from its start.
@Suite struct LargeInputTests {
    static let bound = Swift.Duration.seconds(20)

    private func validate(_ text: String) -> (ValidationResult, Swift.Duration) {
        var result: ValidationResult?
        let elapsed = ContinuousClock().measure {
            result = WorkflowValidator.validate(data: Data(text.utf8), path: "large.yaml")
        }
        return (result!, elapsed)
    }

    @Test func tenThousandUnknownTargets() {
        var text = "apex: 1\nname: t\nsteps:\n"
        for i in 0..<WorkflowParser.maxSteps {
            text += "  - id: step\(i)\n    set:\n      x: 1\n    next: stepx\(i)\n"
        }
        let (result, elapsed) = validate(text)
        #expect(elapsed < Self.bound)
        #expect(result.diagnostics.count == DiagnosticBag.limit)
        #expect(result.diagnostics.first?.message == "unknown step \"stepx0\" in next; did you mean \"step0\"?")
        #expect(result.diagnostics.first?.range.start == SourceLocation(line: 7, column: 11))
    }

    @Test func aHundredThousandRequiredNames() {
        let names = (0..<100_000).map { "k\($0)" } + ["k5"]
        let text = "apex: 1\nname: t\ninput:\n  type: object\n  required: [\(names.joined(separator: ", "))]\nsteps:\n  - id: a\n    set:\n      x: 1\n"
        let (result, elapsed) = validate(text)
        #expect(elapsed < Self.bound)
        #expect(result.diagnostics.map(\.message) == ["`k5` is listed twice in `required`"])
    }

    @Test func tenThousandStepsOnOneLine() throws {
        let steps = (1..<WorkflowParser.maxSteps).map { "{id: s\($0), set: {x: \"é ${{ steps.s1.output }}\"}}" }
        let line = "steps: [" + steps.joined(separator: ", ") + ", {id: last, set: {x: \"é ${{ steps.zz.output }}\"}}]"
        let (result, elapsed) = validate("apex: 1\nname: t\n" + line + "\n")
        #expect(elapsed < Self.bound)
        let unknown = try #require(result.diagnostics.first { $0.message.hasPrefix("unknown step \"zz\"") })
        let column = line.unicodeScalars.count - "zz.output }}\"}}]".unicodeScalars.count + 1
        #expect(unknown.range == .at(SourceLocation(line: 3, column: column), length: 2))
    }

    @Test func thousandsOfReadsOfUndeclaredProperties() {
        var text = "apex: 1\nname: t\ninput:\n  type: object\n  properties:\n"
        for i in 0..<10_000 { text += "    p\(i): {type: string}\n" }
        text += "steps:\n"
        for i in 0..<2_000 { text += "  - id: s\(i)\n    set:\n      x: ${{ input.zz\(i) }}\n" }
        let (result, elapsed) = validate(text)
        #expect(elapsed < Self.bound)
        #expect(result.diagnostics.count == DiagnosticBag.limit)
        #expect(result.diagnostics.allSatisfy { $0.rule == .unknownProperty })
    }

    /// The types of variables and `set` outputs are worked out in rounds over every assignment:
    /// 10,000 steps that each grow a variable and store the step before them stay fast.
    @Test func tenThousandAssignmentsThatReadEachOther() {
        var text = "apex: 1\nname: t\nvars: {n: 0, list: []}\nsteps:\n"
        for i in 0..<WorkflowParser.maxSteps {
            text += "  - id: s\(i)\n    set: {n: '${{ vars.n + 1 }}', list: '${{ [vars.list] }}', last: '${{ steps.s\(max(i - 1, 0)).output ?? 0 }}'}\n"
        }
        text += "output: ${{ vars.n + 'x' }}\n"
        let (result, elapsed) = validate(text)
        #expect(elapsed < Self.bound)
        #expect(result.diagnostics.map(\.rule) == [.operatorType])
    }
}
