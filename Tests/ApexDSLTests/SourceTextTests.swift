import Foundation
import Testing

@testable import ApexDSL

/// Text as editors write it and YAML 1.2 reads it: a byte order mark, which belongs to no line
/// or column; LF, CR LF and lone CR line breaks; and NEL, LS and PS, which YAML 1.1 (and so
/// libyaml) counted as line breaks but YAML 1.2 reads as ordinary characters.
@Suite struct SourceTextTests {
    static let byteOrderMark = "\u{FEFF}"
    static let yaml11Breaks: [Character] = ["\u{85}", "\u{2028}", "\u{2029}"]
    static let valid = "apex: 1\nname: t\nsteps:\n  - id: a\n    set:\n      x: 1\n"

    private func validate(_ text: String) -> ValidationResult {
        WorkflowValidator.validate(data: Data(text.utf8), path: "t.yaml")
    }

    /// The text report: positions, messages, source lines and carets.
    private func rendered(_ result: ValidationResult) -> String {
        DiagnosticRenderer.text(DiagnosticReport(path: "t.yaml", source: result.source, diagnostics: result.diagnostics))
    }

    @Test func aByteOrderMarkBeforeTheFirstKeyIsIgnored() {
        #expect(validate(Self.byteOrderMark + Self.valid).diagnostics.isEmpty)
        #expect(validate(Self.byteOrderMark + Self.valid).source?.text == Self.valid)
    }

    @Test(arguments: [
        ("apex: 7\nname: t\nsteps:\n  - id: a\n    set:\n      x: 1\n", ApexDSL.SourceLocation(line: 1, column: 7)),
        (valid + "    next: b\n", ApexDSL.SourceLocation(line: 7, column: 11)),
        ("apex: 1\nname: t\nsteps:\n  - id: a\n    set: { x: 1 }\n  next: [\n", ApexDSL.SourceLocation(line: 6, column: 3)),
    ])
    func aByteOrderMarkShiftsNoDiagnostic(_ text: String, _ position: ApexDSL.SourceLocation) {
        let plain = validate(text)
        let marked = validate(Self.byteOrderMark + text)
        #expect(plain.diagnostics.first?.range.start == position)
        #expect(marked.diagnostics == plain.diagnostics)
        #expect(rendered(marked) == rendered(plain))
    }

    @Test func offsetsInEncodingErrorsCountTheByteOrderMark() {
        let binary = WorkflowSourceLoader.load(data: Data([0xEF, 0xBB, 0xBF, 0x61, 0x0A, 0x62, 0x00]), path: "b")
        #expect(binary.diagnostics.diagnostics.map(\.message) == ["the file is binary (a NUL byte at offset 6), not YAML text"])
        #expect(binary.diagnostics.diagnostics.first?.range.start == SourceLocation(line: 2, column: 2))
    }

    @Test func linesEndAtLFCRLFAndALoneCR() {
        #expect(SourceFile(path: "t", text: "a\rb\r\nc\nd\u{85}e\u{2028}f\u{2029}g\n").lines == ["a", "b", "c", "d\u{85}e\u{2028}f\u{2029}g", ""])
        let result = validate((Self.valid + "    next: nope\n").replacingOccurrences(of: "\n", with: "\r"))
        #expect(rendered(result) == """
            t.yaml:7:11: error: unknown step "nope" in next [unknown-step]
                7 |     next: nope
                  |           ^~~~

            """)
    }

    @Test func columnsOfLongLinesAreFoundWithoutWalkingFromTheStart() {
        let long = String(repeating: "aé\u{1F600}b", count: 100)
        let file = SourceFile(path: "t", text: "short é\n" + long + "\n")
        let scalars = Array(long.unicodeScalars)
        for (from, to) in [(1, 1), (1, 5), (63, 70), (64, 65), (65, 300), (129, 401), (390, 500), (401, 402), (2, Int.max)] {
            let expected = Array(scalars[min(from - 1, scalars.count)..<min(to - 1, scalars.count)])
            #expect(file.scalars(ofLine: 2, columns: from..<to) == expected, "\(from)..<\(to)")
        }
        #expect(file.scalars(ofLine: 1, columns: 7..<9) == ["é"])
        #expect(file.scalars(ofLine: 3, columns: 1..<9) == [])
        #expect([1, 2, 3, 4].map(file.columnCount(ofLine:)) == [7, scalars.count, 0, 0])
    }

    @Test func anExpressionGoingPastItsLineIsPointedAtOnItsLine() {
        let line = "        ${{ 'unterminated }}"
        let text = Self.valid.replacingOccurrences(of: "      x: 1\n", with: "      x: |\n\(line)\n        more text\n")
        let result = validate(text)
        #expect(result.diagnostics.map(\.rule) == [.expressionSyntax])
        #expect(result.diagnostics.first?.range == SourceRange(
            start: SourceLocation(line: 7, column: 13), end: SourceLocation(line: 7, column: line.count + 1)))
    }

    @Test(arguments: yaml11Breaks)
    func aYAML11BreakInACommentShiftsNoLine(_ character: Character) {
        let text = "# a comment \(character) with it\napex: 1\nname: t # \(character)\nsteps:\n  - id: a\n    set:\n      x: 1\n    next: nope\n"
        let result = validate(text)
        #expect(result.diagnostics.map(\.rule) == [.unknownStep])
        #expect(result.diagnostics.first?.range.start == SourceLocation(line: 8, column: 11))
        #expect(rendered(result) == rendered(validate(text.replacingOccurrences(of: String(character), with: "x"))))
    }

    @Test(arguments: yaml11Breaks)
    func aYAML11BreakIsAnOrdinaryCharacterInEveryKindOfString(_ character: Character) throws {
        let c = String(character)
        let text = """
            plain: p\(c)q
            single: 'p\(c)q'
            double: "p\(c)q"
            literal: |
              p\(c)q
            trailing: p\(c)
            k\(c)ey: 1
            flow: [a\(c)b, {c\(c)d: e\(c)}]
            after: [

            """
        let loaded = WorkflowSourceLoader.load(data: Data(text.utf8), path: "t.yaml")
        // The unclosed list at the end is an error on the line it would have been on anyway.
        #expect(loaded.diagnostics.diagnostics.map(\.range.start) == [SourceLocation(line: 10, column: 1)])
        let fixed = WorkflowSourceLoader.load(data: Data(text.replacingOccurrences(of: "[\n", with: "[]\n").utf8), path: "t.yaml")
        #expect(fixed.diagnostics.diagnostics.isEmpty)
        let root = try #require(fixed.root)
        #expect(root.jsonValue == [
            "plain": .string("p\(c)q"), "single": .string("p\(c)q"), "double": .string("p\(c)q"),
            "literal": .string("p\(c)q\n"), "trailing": .string("p\(c)"), "k\(c)ey": 1,
            "flow": [.string("a\(c)b"), ["c\(c)d": .string("e\(c)")]], "after": [],
        ])
        #expect(root["after"]?.range.start == SourceLocation(line: 9, column: 8))
    }

    @Test(arguments: yaml11Breaks)
    func columnsAfterAYAML11BreakCountItAsOneCharacter(_ character: Character) {
        let text = Self.valid.replacingOccurrences(of: " x: 1", with: " x: \"a\(character)${{ steps.zz.output }}\"")
        let result = validate(text)
        #expect(result.diagnostics.map(\.range) == [.at(SourceLocation(line: 6, column: 23), length: 2)])
        #expect(rendered(result).hasSuffix("\n      |                       ^~\n"))
        let flow = validate("apex: 1\nname: t\nsteps:\n  - { id: a, set: { x: \"p\(character)q\" }, next: nope }\n")
        #expect(flow.diagnostics.map(\.range) == [.at(SourceLocation(line: 4, column: 39), length: 4)])
    }

    @Test func placeholdersNeverCollideWithTheFilesOwnCharacters() throws {
        // U+E000 is the first placeholder tried: here it is taken, literally and as escapes.
        let text = "a: \"\\uE000\"\nb: \"\\U0000E001\"\nc: \u{E002}\nd: \"x\u{85}y\u{2028}z\u{2029}\"\n"
        let root = try #require(WorkflowSourceLoader.load(data: Data(text.utf8), path: "t.yaml").root)
        #expect(root.jsonValue == ["a": "\u{E000}", "b": "\u{E001}", "c": "\u{E002}", "d": "x\u{85}y\u{2028}z\u{2029}"])
    }
}
