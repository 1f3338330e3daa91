import Foundation
import Testing

@testable import ApexDSL

/// Text as editors write it and YAML 1.2 reads it: a byte order mark, which belongs to no line
/// or column, and LF, CR LF and lone CR line breaks.
@Suite struct SourceTextTests {
    static let byteOrderMark = "\u{FEFF}"
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
        #expect(SourceFile(path: "t", text: "a\rb\r\nc\nd\n").lines == ["a", "b", "c", "d", ""])
        let result = validate((Self.valid + "    next: nope\n").replacingOccurrences(of: "\n", with: "\r"))
        #expect(rendered(result) == """
            t.yaml:7:11: error: unknown step "nope" in next [unknown-step]
                7 |     next: nope
                  |           ^~~~

            """)
    }
}
