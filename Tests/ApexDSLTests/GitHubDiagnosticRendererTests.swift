import Testing

@testable import ApexDSL

@Suite struct GitHubDiagnosticRendererTests {
    @Test func rendersEachSeverityAsItsWorkflowCommand() {
        let report = DiagnosticReport(
            path: Sample.path, source: nil,
            diagnostics: [
                Sample.make(.error, .unknownStep, "unknown step \"drafts\" in next", from: (14, 11), to: (14, 17)),
                Sample.make(.warning, .unreachableStep, "step \"orphan\" is never reached", from: (20, 9), to: (20, 15)),
                Sample.make(.note, .unknownKey, "see here", from: (3, 1), to: (3, 1)),
            ])
        #expect(DiagnosticRenderer.github(report) == """
            ::error file=workflows/triage.yaml,line=14,col=11,endLine=14,endColumn=17,title=unknown-step::unknown step "drafts" in next
            ::warning file=workflows/triage.yaml,line=20,col=9,endLine=20,endColumn=15,title=unreachable-step::step "orphan" is never reached
            ::notice file=workflows/triage.yaml,line=3,col=1,endLine=3,endColumn=1,title=unknown-key::see here

            """)
    }

    @Test func leavesOutColumnsForARangeOverSeveralLines() {
        let diagnostic = Sample.make(.error, .yamlSyntax, "unclosed", from: (2, 3), to: (5, 1))
        #expect(DiagnosticRenderer.github(diagnostic)
            == "::error file=workflows/triage.yaml,line=2,endLine=5,title=yaml-syntax::unclosed")
    }

    @Test func escapesTheMessageAndThePropertiesAsGitHubDoes() {
        let diagnostic = Sample.make(
            .error, .yamlSyntax, "100% broken:\r\nsee a, b", from: (1, 1), to: (1, 2), file: "dir,x/a:b%.yaml")
        #expect(DiagnosticRenderer.github(diagnostic)
            == "::error file=dir%2Cx/a%3Ab%25.yaml,line=1,col=1,endLine=1,endColumn=2,title=yaml-syntax::100%25 broken:%0D%0Asee a, b")
    }

    @Test func endsACappedFileWithANotice() {
        let report = DiagnosticReport(path: "big.yaml", source: nil, diagnostics: [], truncatedCount: 250)
        #expect(DiagnosticRenderer.github(report) == "::notice file=big.yaml::… and 250 more problems not shown\n")
    }
}
