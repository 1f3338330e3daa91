import Foundation
import Testing

@testable import ApexDSL

@Suite struct YAMLComposerTests {
    private func load(_ text: String) -> WorkflowSourceLoader.Result {
        WorkflowSourceLoader.load(data: Data(text.utf8), path: "t.yaml")
    }

    @Test func typesScalarsAsYAML12() throws {
        let root = try #require(load("a: yes\nb: on\nc: true\nd: 3\ne: 2.5\nf: ~\ng: '3'\nh: 0x1F\n").root)
        #expect(root.jsonValue == ["a": "yes", "b": "on", "c": true, "d": 3, "e": 2.5, "f": nil, "g": "3", "h": 31])
    }

    @Test func keepsStartAndEndPositions() throws {
        let root = try #require(load("steps:\n  - id: draft\n    next: drafts\n").root)
        let next = try #require(root["steps"]?.items?.first?["next"])
        #expect(next.range == SourceRange(start: .init(line: 3, column: 11), end: .init(line: 3, column: 17)))
    }

    @Test func reportsDuplicateKeyAtTheDuplicate() {
        let result = load("a: 1\nb: 2\na: 3\n")
        #expect(result.diagnostics.diagnostics.map(\.rule) == [.yamlDuplicateKey])
        #expect(result.diagnostics.diagnostics.first?.range.start == SourceLocation(line: 3, column: 1))
        #expect(result.root?.jsonValue == ["a": 1, "b": 2])
    }

    @Test func resolvesAnchorsAliasesAndMergeKeys() throws {
        let root = try #require(load("base: &b {x: 1, y: 2}\nuse:\n  <<: *b\n  y: 3\nlist: [*b]\n").root)
        #expect(root["use"]?.jsonValue == ["y": 3, "x": 1])
        #expect(root["list"]?.jsonValue == [["x": 1, "y": 2]])
    }

    @Test func boundsDepthWithoutRecursion() {
        let deep = String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)
        let result = load(deep)
        #expect(result.root == nil)
        #expect(result.diagnostics.diagnostics.map(\.rule) == [.yamlTooDeep])
    }

    @Test func boundsAliasExpansion() {
        var text = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n"
        for i in 1..<9 { text += "a\(i): &a\(i) [" + Array(repeating: "*a\(i - 1)", count: 10).joined(separator: ", ") + "]\n" }
        let result = load(text)
        #expect(result.diagnostics.diagnostics.map(\.rule) == [.yamlAlias])
    }

    @Test func refusesBinaryInvalidUTF8EmptyAndHugeFiles() {
        #expect(WorkflowSourceLoader.load(data: Data([0x61, 0, 0x62]), path: "b").diagnostics.diagnostics.map(\.rule) == [.fileEncoding])
        #expect(WorkflowSourceLoader.load(data: Data([0x61, 0x3A, 0x20, 0xFF]), path: "u").diagnostics.diagnostics.map(\.rule) == [.fileEncoding])
        #expect(load("").diagnostics.diagnostics.map(\.rule) == [.emptyFile])
        #expect(load("# only a comment\n").diagnostics.diagnostics.map(\.rule) == [.emptyFile])
        let huge = Data(repeating: 0x20, count: WorkflowSourceLoader.maxFileSize + 1)
        #expect(WorkflowSourceLoader.load(data: huge, path: "h").diagnostics.diagnostics.map(\.rule) == [.fileTooLarge])
    }

    @Test func placesTheEndOfATextWithoutAFinalLineBreakOnItsLastLine() throws {
        let root = try #require(load("a:\n  b: 1").root)
        #expect(root.range.end == SourceLocation(line: 2, column: 7))
        let unclosed = load("a: [1,\n  2")
        #expect(unclosed.diagnostics.diagnostics.map(\.range.start) == [SourceLocation(line: 2, column: 4)])
    }

    @Test func anErrorPastTheEndOfItsLineIsAPoint() throws {
        let diagnostic = try #require(load("a: 'abc\n").diagnostics.diagnostics.first)
        #expect(diagnostic.rule == .yamlSyntax)
        #expect(diagnostic.range == .at(SourceLocation(line: 2, column: 1), length: 0))
    }

    @Test func hintsAtQuotingWhenAnExpressionHasAColon() {
        let result = load("steps:\n  - id: a\n    if: ${{ a ? b: c }}\n")
        let message = result.diagnostics.diagnostics.first?.message ?? ""
        #expect(result.diagnostics.diagnostics.map(\.rule) == [.yamlSyntax])
        #expect(message.contains("must be quoted"))
    }
}
