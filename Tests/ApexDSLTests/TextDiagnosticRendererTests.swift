import Testing

@testable import ApexDSL

@Suite struct TextDiagnosticRendererTests {
    @Test func rendersTheSpecExampleExactly() {
        let file = Sample.source(Array(repeating: "# filler", count: 13) + ["    next: drafts"])
        let message = "unknown step \"drafts\" in next; did you mean \"draft\"?"
        let text = DiagnosticRenderer.text(Sample.make(.error, .unknownStep, message, from: (14, 11), to: (14, 17)), source: file)
        #expect(text == """
            workflows/triage.yaml:14:11: error: unknown step "drafts" in next; did you mean "draft"? [unknown-step]
               14 |     next: drafts
                  |           ^~~~~~

            """)
    }

    @Test func widensTheGutterForLongLineNumbers() {
        let file = Sample.source(Array(repeating: "x", count: 12344) + ["name: x"])
        let text = DiagnosticRenderer.text(Sample.make(from: (12345, 7), to: (12345, 8)), source: file)
        #expect(text.split(separator: "\n").dropFirst() == [" 12345 | name: x", "       |       ^"])
    }

    @Test func marksAPointWithALoneCaret() {
        let text = DiagnosticRenderer.text(Sample.make(from: (1, 3), to: (1, 3)), source: Sample.source(["abcdef"]))
        #expect(text.hasSuffix("    1 | abcdef\n      |   ^\n"))
    }

    @Test func underlinesAMultiLineRangeToTheEndOfItsFirstLine() {
        let text = DiagnosticRenderer.text(Sample.make(from: (2, 3), to: (4, 1)), source: Sample.source(["a", "s: [1,", "  2]", ""]))
        #expect(text.hasSuffix("    2 | s: [1,\n      |   ^~~~\n"))
    }

    @Test func keepsTabsInTheCaretPadding() {
        let text = DiagnosticRenderer.text(Sample.make(from: (1, 4), to: (1, 7)), source: Sample.source(["\t\tx foo"]))
        #expect(text.hasSuffix("    1 | \t\tx foo\n      | \t\t ^~~\n"))
    }

    @Test func clampsARangePastTheEndOfTheLine() {
        let text = DiagnosticRenderer.text(Sample.make(from: (1, 4), to: (1, 40)), source: Sample.source(["ab cd"]))
        #expect(text.hasSuffix("      |    ^~\n"))
    }

    @Test func printsNoTrailingSpaceForAnEmptyLine() {
        let text = DiagnosticRenderer.text(Sample.make(from: (2, 1), to: (2, 1)), source: Sample.source(["a", ""]))
        #expect(text.hasSuffix("    2 |\n      | ^\n"))
    }

    @Test func printsOnlyTheHeaderWithoutSource() {
        let found = Sample.make(.error, .fileEncoding, "the file is binary", from: (1, 5), to: (1, 6), file: "blob.yaml")
        #expect(DiagnosticRenderer.text(found, source: nil) == "blob.yaml:1:5: error: the file is binary [file-encoding]\n")
    }

    @Test func replacesControlCharactersThatATerminalWouldObey() {
        let found = Sample.make(.error, .unknownStep, "bad \u{1B}[2J name", from: (1, 1), to: (1, 2))
        let text = DiagnosticRenderer.text(found, source: Sample.source(["a\u{1B}b\u{202E}c"]))
        #expect(!text.contains("\u{1B}"))
        #expect(!text.contains("\u{202E}"))
        #expect(text.contains("bad \u{FFFD}[2J name"))
        #expect(text.contains("| a\u{FFFD}b\u{FFFD}c\n"))
    }

    @Test func addsNoEscapeCodesUnlessAsked() {
        let file = Sample.source(["name: x"])
        let plain = DiagnosticRenderer.text(Sample.make(.warning, .unreachableStep, "w", from: (1, 1), to: (1, 5)), source: file)
        #expect(!plain.contains("\u{1B}"))
        let colored = DiagnosticRenderer.text(
            Sample.make(.warning, .unreachableStep, "w", from: (1, 1), to: (1, 5)), source: file, colors: true)
        let esc = "\u{1B}["
        #expect(colored == """
            \(esc)1mworkflows/triage.yaml:1:1:\(esc)0m \(esc)1;33mwarning:\(esc)0m \(esc)1mw\(esc)0m [unreachable-step]
                1 | name: x
                  | \(esc)1;32m^~~~\(esc)0m

            """)
    }

    @Test func colorsEachSeverityItsOwnWay() {
        let style = TerminalStyle(enabled: true)
        #expect(style.label(for: .error) == "\u{1B}[1;31merror:\u{1B}[0m")
        #expect(style.label(for: .warning) == "\u{1B}[1;33mwarning:\u{1B}[0m")
        #expect(style.label(for: .note) == "\u{1B}[1;36mnote:\u{1B}[0m")
    }

    @Test func endsAReportWithATruncationNote() {
        let report = DiagnosticReport(
            path: "big.yaml", source: nil, diagnostics: [Sample.make(.error, .unknownStep, "m", from: (1, 1), to: (1, 1), file: "big.yaml")],
            truncatedCount: 3)
        #expect(DiagnosticRenderer.text(report) == """
            big.yaml:1:1: error: m [unknown-step]
            big.yaml: note: … and 3 more problems not shown

            """)
        #expect(DiagnosticRenderer.truncationNote(1) == "… and 1 more problem not shown")
    }

    @Test func rendersNothingForACleanReport() {
        #expect(DiagnosticRenderer.text(DiagnosticReport(path: "ok.yaml", source: nil, diagnostics: [])) == "")
    }
}
